"""What the bot says while a family adds, lists, renames and removes children (no Telegram)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.callbacks import ConfirmRemoveKid, Grade, KeepKid, RemoveKid, RenameKid, School
from bot.domain.kids import (
    GRADES,
    OTHER,
    SKIPPED,
    Added,
    AddResult,
    FamilyFull,
    Gone,
    NameIssue,
    NameProblem,
    NameTaken,
    Removed,
    RemoveResult,
    Renamed,
    RenameResult,
)
from bot.domain.programs import Program
from bot.texts.faq import pick_program
from bot.texts.reply import Button, Reply
from storage.children import ChildRecord

SKIP = "Skip"  # the school buttons' labels
OTHER_SCHOOL = "Other"


def grade_label(grade: str) -> str:
    return "Kindergarten" if grade == "K" else f"grade {grade}"


def describe(child: ChildRecord) -> str:
    school = f", {child.school}" if child.school else ""
    return f"{child.name} ({grade_label(child.grade)}{school})"


def ask_name(restarted: bool = False) -> Reply:
    """The first question of /addkid; `restarted` when /addkid came again halfway through."""
    opening = "OK, starting over." if restarted else "Let's add your child! 👟"
    return Reply(f"{opening} What's their first name? You can add a last initial, like "
                 "“Emma R.”. (/cancel to stop)")


def program_first(first_name: str, programs: dict[str, Program]) -> Reply:
    """A child's name typed before the chat chose its program: kept; the program comes first."""
    return Reply(f"Thanks! First, which program is {first_name} in?",
                 pick_program(programs).buttons)


def name_problem(problem: NameProblem) -> Reply:
    if problem.issue is NameIssue.EMPTY:
        return Reply("Please type your child's first name, like “Emma” or “Emma R.”.")
    return Reply("I need just a first name, and a last initial if you like: “Emma” or “Emma R.”. "
                 "(Only letters, please; no full last names, to keep your child's data "
                 "private.)")


def _why_not(problem: NameTaken | FamilyFull) -> str:
    if isinstance(problem, FamilyFull):
        return f"A family can have at most {problem.limit} children here."
    return (f"{problem.other} is already on your list, and miles are logged by first name. "
            f"Please use a nickname for one of them (like “{problem.other[:2]}”).")


def ask_grade(first_name: str) -> Reply:
    rows = [tuple(Button(g, Grade(g)) for g in GRADES[:5]),
            tuple(Button(g, Grade(g)) for g in GRADES[5:])]
    return Reply(f"Which grade is {first_name} in?", tuple(rows))


def bad_grade() -> Reply:
    return Reply("Please pick a grade from K to 8 with the buttons (or type it, like “2” or "
                 "“K”).")


def ask_school(first_name: str, schools: Sequence[str]) -> Reply:
    """The program's schools as buttons (a name typed is matched to them); none: type it."""
    if schools:
        buttons: list[tuple[Button, ...]] = [(Button(s[:60], School(str(i))),)
                                         for i, s in enumerate(schools)]
        buttons.append((Button(OTHER_SCHOOL, School(OTHER)), Button(SKIP, School(SKIPPED))))
        return Reply(f"Which school does {first_name} go to?", tuple(buttons))
    return Reply(f"Which school does {first_name} go to? Type its name, or press Skip.",
                 ((Button(SKIP, School(SKIPPED)),),))


def type_school() -> Reply:
    return Reply("Type the school's name, please.")


def added(child: ChildRecord) -> Reply:
    return Reply(
        f"✅ {describe(child)} is on your team!\n\n"
        f"Log miles by sending a message, like “{child.first_name} ran 1 mile” or “2 laps "
        "yesterday”. /progress shows the training log, /kids lists your children, /addkid "
        "adds another."
    )


def not_added(problem: NameTaken | FamilyFull) -> Reply:
    return Reply(f"I couldn't add that child: {_why_not(problem)}")


def cancelled() -> Reply:
    return Reply("OK, stopped. Nothing was changed.")


def lost_track() -> Reply:
    """A step came without the answers before it (the bot restarted, or a very old button)."""
    return Reply("Sorry, I lost track of that child. /addkid starts again.")


def kid_list(children: list[ChildRecord]) -> Reply:
    if not children:
        return Reply("No children on your list yet. Add one with /addkid.")
    lines = ["Your children:"] + [f"• {describe(c)}" for c in children]
    lines.append("\nPress ✏️ to rename or 🗑 to remove. /addkid adds another child.")
    buttons = tuple(
        (Button(f"✏️ {c.name}", RenameKid(c.id)), Button(f"🗑 {c.name}", RemoveKid(c.id)))
        for c in children
    )
    return Reply("\n".join(lines), buttons)


def ask_new_name(child: ChildRecord) -> Reply:
    return Reply(f"What should I call {child.name} from now on? (/cancel to keep the name)")


def renamed(child: ChildRecord) -> Reply:
    return Reply(f"✅ Renamed: {describe(child)}.")


def not_renamed(problem: NameTaken) -> Reply:
    return Reply(f"I couldn't rename: {_why_not(problem)}")


def confirm_remove(child: ChildRecord) -> Reply:
    return Reply(
        f"Remove {child.name} from your list? Their logged miles are erased too.",
        ((Button(f"Yes, remove {child.name}", ConfirmRemoveKid(child.id)),
          Button("No, keep", KeepKid())),),
    )


def removed(child: ChildRecord) -> Reply:
    return Reply(f"{child.name} is off your list. /addkid adds a child again.")


def kept() -> Reply:
    return Reply("OK, nothing was removed.")


def gone() -> Reply:
    return Reply("That child is no longer on your list. /kids shows the current list.")


def adding(result: AddResult) -> Reply:
    """After /addkid's last step: on the team, or why not."""
    match result:
        case Added(child=child):
            return added(child)
        case NameTaken() | FamilyFull():
            return not_added(result)


def renaming(result: RenameResult) -> Reply:
    match result:
        case Renamed(child=child):
            return renamed(child)
        case NameTaken():
            return not_renamed(result)
        case Gone():
            return gone()


def confirm_removing(child: ChildRecord | Gone) -> Reply:
    """After 🗑: ask first, unless the child is gone already."""
    match child:
        case Gone():
            return gone()
        case ChildRecord():
            return confirm_remove(child)


def removing(result: RemoveResult) -> Reply:
    match result:
        case Removed(child=child):
            return removed(child)
        case Gone():
            return gone()
