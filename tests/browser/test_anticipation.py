"""Anticipation carried through the Work Sort, in real browsers: a phone renames an anticipated group
and every board still shows what it was anticipated as; the phone has no "Remove" for it (the
facilitator's control page has); the stuck points the team anticipated sit beside "Issues we see",
and the questions it prepared beside the next steps."""
from __future__ import annotations

from playwright.sync_api import expect

from plc.extensions import db
from plc.meetings.models import Meeting, Participant, Response
from plc.sort.models import SortGroup
from tests.browser import seed
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.pages import join, log_in, step_title

STUCK = ["Forgets the last tray", "Subtracts 8 once and stops"]
QUESTION = "How could you check that 12 trays hold 96 muffins?"


def anticipated_meeting(live_app, live_server) -> seed.SeededMeeting:
    """A team of its own at "Name and describe each group", its two groups anticipated by Ms. Rivera,
    who also said where students might get stuck and which question to ask."""
    with live_app.app_context():
        meeting = seed.seed_meeting(live_server.email, "Anticipating team", samples=3, groups=seed.GROUPS[:2],
                                    unsorted=1, notes=False, at="Name and describe each group")
        for group in db.session.execute(db.select(SortGroup).filter(SortGroup.kind == "anticipated",
                                                                    SortGroup.name.in_(seed.GROUPS[:2]))).scalars():
            group.anticipated_as, group.anticipated_by = group.name, "Ms. Rivera"
        row = db.session.get(Meeting, meeting.meeting_id)
        anticipate = next(pos for pos, step in enumerate(row.agenda) if step["activity"] == "anticipate")
        teacher = Participant(meeting_id=row.id, token=f"anticipating-{row.id}", name="Ms. Rivera",
                              role="classroom_teacher")
        db.session.add(teacher)
        db.session.flush()
        answers = [("stuck", text) for text in STUCK] + [("questions", QUESTION)]
        db.session.add_all(Response(meeting_id=row.id, participant_id=teacher.id, step_pos=anticipate, field=field,
                                    text=text) for field, text in answers)
        db.session.commit()
    return meeting


def column(page, name):
    return page.locator("section.column", has=page.locator(f'h3:text-is("{name}")'))


def test_a_renamed_anticipated_group_keeps_its_wording_and_the_stuck_points_show_beside_issues(
        new_context, live_server, live_app, artifacts_dir):
    meeting = anticipated_meeting(live_app, live_server)
    anticipated, other = seed.GROUPS[:2]
    control = new_context(**DESKTOP).new_page()
    log_in(control, live_server.email, live_server.password)
    control.goto(f"/meetings/{meeting.meeting_id}/control")
    expect(step_title(control)).to_have_text("Name and describe each group")
    projector = control.context.new_page()
    projector.goto(f"/meetings/{meeting.meeting_id}/projector")
    phone = new_context(**PHONE).new_page()
    join(phone, meeting.code, "Ana Teacher")
    expect(step_title(phone)).to_have_text("Name and describe each group")

    # Only the facilitator can remove what the team anticipated.
    expect(column(phone, anticipated).get_by_role("button", name="Remove")).to_have_count(0)
    expect(column(control, anticipated).get_by_role("button", name="Remove")).to_have_count(1)

    column(phone, anticipated).get_by_role("button", name="Rename").tap()
    phone.get_by_label(f"New name for {anticipated}").fill("Counts up in eights")
    phone.get_by_role("button", name="Save").tap()

    for page in (phone, control, projector):
        renamed = column(page, "Counts up in eights")
        expect(renamed.locator(".anticipated-as")).to_have_text(f"Anticipated as: “{anticipated}” (Ms. Rivera)")
        expect(column(page, other).locator(".anticipated-as")).to_have_count(0)  # never renamed
    # Beside "Issues we see", on every group: where we thought students might get stuck.
    stuck = column(phone, "Counts up in eights").locator(".note-field", has=phone.get_by_label("Issues we see"))
    expect(stuck.locator(".stuck-points li")).to_have_text([f"{text} (Ms. Rivera)" for text in STUCK])
    expect(stuck.locator(".stuck-points")).to_be_visible()
    phone.screenshot(path=str(artifacts_dir / "anticipation-phone-describe.png"), full_page=True)
    # The projector, where notes are read, not typed, shows them too.
    expect(column(projector, other).locator(".stuck-points li")).to_have_text([f"{text} (Ms. Rivera)" for text in STUCK])
    projector.screenshot(path=str(artifacts_dir / "anticipation-projector-describe.png"))

    # At "Next steps": the questions we prepared, beside each group's next steps.
    for _ in range(2):
        control.get_by_role("button", name="Next ▶").click()
    expect(step_title(phone)).to_have_text("Next steps")
    questions = column(phone, "Counts up in eights").locator(".prepared-questions")
    questions.locator("summary").tap()
    expect(questions.locator("li")).to_have_text([f"{QUESTION} (Ms. Rivera)"])
    phone.screenshot(path=str(artifacts_dir / "anticipation-phone-next-steps.png"), full_page=True)
