"""A room state read a moment before news of an answer never undoes that news on a screen
(static/js/room/answer_news.js). With several server processes, an answer one process stored
can reach a screen before a state another process read just earlier. The module runs here in
Chromium itself, on a clock the test turns."""
from __future__ import annotations

CASES = """async () => {
  const { createAnswerNews } = await import("/static/js/room/answer_news.js");
  let clock = 0;
  const fresh = () => createAnswerNews(() => clock);
  const a = { id: 1, field: null, text: "Counts by sixes", author: "Ana", participant_id: 3 };
  const b = { id: 2, field: null, text: "Arrays", author: "Ben", participant_id: 4 };
  const ids = (list) => list.map((r) => r.id);
  const out = {};
  let news = fresh();
  news.heard(b);  // B's answer came before a state read without it
  out.kept = ids(news.onto([a], { withAuthors: true }));
  news = fresh();
  news.withdrew(1);  // A's withdrawal came before a state read with it
  out.withdrawn = ids(news.onto([a, b], { withAuthors: true }));
  out.lateEditOfWithdrawn = news.heard({ ...a, text: "edited late" });
  news = fresh();
  news.heard({ ...a, text: "Groups of six" });  // an edit before a state with the old text
  out.edited = news.onto([a, b], { withAuthors: true })[0].text;
  news = fresh();
  news.heard(b);  // names were hidden after B's answer was heard with its author
  out.hidden = news.onto([a].map(({ id, field, text }) => ({ id, field, text })), { withAuthors: false });
  news = fresh();
  news.heard(b);
  clock += 11_000;  // every state read since has it
  out.old = ids(news.onto([a], { withAuthors: true }));
  news = fresh();
  news.heard(b);
  news.forget();  // a new step, or a whole state on reconnect
  out.forgotten = ids(news.onto([a], { withAuthors: true }));
  return out;
}"""


def test_news_heard_before_a_state_read_earlier_stays_on_screen(new_context):
    page = new_context().new_page()
    page.goto("/login")
    out = page.evaluate(CASES)
    assert out["kept"] == [1, 2]
    assert out["withdrawn"] == [2]
    assert out["lateEditOfWithdrawn"] is False
    assert out["edited"] == "Groups of six"
    assert out["hidden"] == [{"id": 1, "field": None, "text": "Counts by sixes"},
                             {"id": 2, "field": None, "text": "Arrays"}]
    assert out["old"] == [1]
    assert out["forgotten"] == [1]
