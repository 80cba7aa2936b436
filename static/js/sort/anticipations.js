// What the team anticipated in Doing Math Together, carried onto the board: the wording a renamed
// group was anticipated as, where we thought students might get stuck (beside "Issues we see")
// and the questions we prepared (beside the next steps). Who said what comes only where the
// server sent it: never on an anonymous step, nor where names are hidden.

import { el } from "../lib/dom.js";

const sameName = (a, b) => a.replace(/\s+/g, " ").trim().toLowerCase() === b.replace(/\s+/g, " ").trim().toLowerCase();

// Under a group's heading: the wording it was anticipated as, once it has been renamed.
export function anticipatedAs(group) {
  if (!group.anticipated_as || sameName(group.anticipated_as, group.name)) return null;
  return el("p", { class: "anticipated-as" }, "Anticipated as: “", el("span", { dir: "auto" }, group.anticipated_as), "”",
    group.anticipated_by ? ` (${group.anticipated_by})` : null);
}

function answerList(answers, label) {
  return el("ul", { class: "anticipated-answers", "aria-label": label }, ...answers.map((a) => el("li", {},
    el("span", { dir: "auto" }, a.text), a.by ? el("span", { class: "muted" }, ` (${a.by})`) : null)));
}

// Beside a group's "Issues we see": every stuck point the team anticipated for the task.
export function stuckPoints(board) {
  const { stuck } = board.state.sort.anticipations;
  if (!stuck.length) return null;
  const label = "Where we thought they might get stuck";
  return el("div", { class: "anticipated-box stuck-points" }, el("p", { class: "anticipated-label" }, `${label}:`),
    answerList(stuck, label));
}

// Beside the next steps: the questions the team prepared to support student thinking.
export function preparedQuestions(board) {
  const { questions } = board.state.sort.anticipations;
  if (!questions.length) return null;
  const label = "Questions we prepared";
  return el("details", { class: "anticipated-box prepared-questions" },
    el("summary", {}, `${label} (${questions.length})`), answerList(questions, label));
}
