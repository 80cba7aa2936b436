// The answers news this screen heard lately (added, edited, withdrawn), kept so that a room
// state read a moment before that news does not undo it. With several server processes, an
// answer stored by one process can reach this screen before a state another process read just
// earlier: the state alone would take the answer away until the next change. Ids are never
// reused and a withdrawal is final, so the news goes on top of any state of the same step.

const KEEP_MS = 10_000; // older news is in every state read since

export function createAnswerNews(now = () => Date.now()) {
  let recent = []; // [{ id, response }] in the order heard; response null: withdrawn
  let withdrawn = new Set();

  function keepRecent() {
    const since = now() - KEEP_MS;
    recent = recent.filter((n) => n.at >= since);
  }

  return {
    // Whether news of this answer still counts (a withdrawn answer's late edit does not).
    heard(response) {
      if (withdrawn.has(response.id)) return false;
      recent.push({ id: response.id, response, at: now() });
      return true;
    },
    withdrew(id) {
      withdrawn.add(id);
      recent.push({ id, response: null, at: now() });
    },
    // A new step, or a whole state on (re)connect: what came before counts no more.
    forget() {
      recent = [];
      withdrawn = new Set();
    },
    // The state's answers with the news heard lately on top, in the order they were written.
    // The state says whether names show: news heard before names were hidden shows none.
    onto(responses, { withAuthors }) {
      keepRecent();
      const byId = new Map(responses.map((r) => [r.id, r]));
      for (const { id, response } of recent) {
        if (!response) byId.delete(id);
        else byId.set(id, withAuthors ? response : { id, field: response.field, text: response.text });
      }
      for (const id of withdrawn) byId.delete(id);
      return [...byId.values()].sort((a, b) => a.id - b.id);
    },
  };
}
