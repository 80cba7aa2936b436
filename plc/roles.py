"""The roles people hold in a PLC meeting: one list for every feature that names them."""

PARTICIPANT_ROLES = {
    "classroom_teacher": "Classroom teacher",
    "interventionist": "Interventionist",
    "special_educator": "Special educator",
    "coach": "Coach",
    "other": "Other",
}

# Roles of accounts in a team. Facilitators run meetings and manage the team.
TEAM_ROLES = {
    "facilitator": "Facilitator",
    "coach": "Coach",
    "member": "Member",
}
