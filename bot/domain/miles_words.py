"""The words the mile parser listens for: verbs, activities, cues, and where numbers may sit.

Word lists only, no logic, so tuning what counts as a log (a new verb, a new way to say "per
day") is one edit in one place. `bot.domain.miles_reader` applies them to a message.
"""

from __future__ import annotations

from bot.domain.dates import MONTHS, WEEKDAYS
from bot.domain.numbers import ONES, TENS, UNITS, words

QUESTION_WORDS = words("how what when where can should is are do does will why could would "
                       "which who whats hows wheres whens")
VERBS = words("add ran run running walked walk walking jogged jog jogging hiked hike hiking biked "
              "bike biking rode cycled did done logged log finished completed covered went "
              "got added made clocked played practiced sprinted raced racked swam skated "
              "scootered rollerbladed")
# Ways to move that the programs do not count: kids run or walk their miles. The noun beats the
# verb ("rode his scooter" is a scooter ride); "bike path", "bike trail" are places, not rides.
NOT_COUNTED = {**dict.fromkeys(words("bike bikes biked biking bicycle bicycled cycled cycling "
                                     "ebike"), "bike"),
               **dict.fromkeys(words("rode ride rides riding"), "ride"),
               **dict.fromkeys(words("swim swam swum swimming pool"), "swim"),
               **dict.fromkeys(words("scooter scooters scootered scootering"), "scooter"),
               **dict.fromkeys(words("skate skated skating skates rollerblade rollerbladed "
                                     "rollerblading rollerblades rollerskate rollerskated "
                                     "rollerskating skateboard skateboarded skateboarding "
                                     "iceskating"), "skate"),
               **dict.fromkeys(words("horse horseback horses pony"), "horse"),
               **dict.fromkeys(words("kayak kayaked kayaking canoe canoed canoeing paddled "
                                     "paddling rowed rowing"), "paddle"),
               **dict.fromkeys(words("ski skied skiing"), "ski")}
NOT_A_RIDE_AFTER = words("path paths trail trails lane lanes route routes rack park shop store")
# Moving the programs count, said outright: beside a word above, the family is asked.
COUNTED_MOVES = frozenset({"run", "jog", "walk", "hike", "treadmill"})
EMOJI = {"🏃": "run", "👟": "run", "🚶": "walk", "🥾": "hike", "🚴": "bike", "🚲": "bike",
         "⚽": "soccer", "🏀": "basketball", "🏊": "swim", "🛴": "scooter", "🛹": "skate",
         "🐎": "horse"}
ACTIVITY = {**dict.fromkeys(words("ran run running raced sprinted"), "run"),
            **dict.fromkeys(words("jog jogged jogging"), "jog"),
            **dict.fromkeys(words("walk walked walking"), "walk"),
            **dict.fromkeys(words("hike hiked hiking"), "hike"),
            **NOT_COUNTED,
            **{w: w for w in words("soccer basketball football baseball softball lacrosse "
                                   "tennis treadmill pe recess gym track")}, **EMOJI}
# Where or what, more telling than the verb: "ran 2 miles on the treadmill" is treadmill.
NOUN_ACTIVITIES = frozenset(ACTIVITY.values()) - {"run", "jog", "walk", "bike", "ride"}
EVERYONE = words("both each everyone everybody they kids boys girls twins")
# Words that make the next number something else: "is 7", "at 3", "room 12", "mile 5".
BLOCK_BEFORE = words("at is are am i'm im room rm grade age aged ages turned turns turning week "
                     "wk day mile miles mi lap laps number no num # bib level page bus route "
                     "gate door apt suite class team size she's he's it's shes hes isn't to")
# Words after an amount that make it a rate, a remainder, a total or a distance between places.
BLOCK_AFTER = ("left", "to go", "remaining", "total", "so far", "away", "a day", "per day",
               "each day", "every day", "a week", "per week", "each week", "a night", "each way",
               "daily", "weekly", "goal", "steps", "step", "award", "milestone", "mark", "medal",
               "club", "certificate", "badge", "ribbon", "sticker", "shirt", "race")
# Words that make an amount a running total, not one day's miles: after it ("14 miles so far",
# "10 total") ...
TOTAL_AFTER = ("so far", "total", "in total", "altogether", "all together", "overall", "to date",
               "in all", "cumulative", "all up")
# ... or right before it ("that makes 20", "a total of 14"), and, before a distance only, "is at
# 14 miles", "up to 12 miles", "has 8 miles", "hit 10 miles", "brings Emma to 14 miles".
TOTAL_LEAD = words("makes make making total totals")
TOTAL_LEAD_DISTANCE = words("hit hits reached reaches passed crossed has have")
TOTAL_AT = words("is are now currently was 's 're at on")  # before "at"/"on": "Emma's at 14"
TOTAL_TO = words("up brings brought bring takes took it")  # before "to": "up to", "made it to"
# The only words allowed right after a bare number ("Emma 1, Jack 2", "did 2 today"; not "2 kids").
FOLLOW_OK = words("and & n plus then today tonight yesterday this last on with in at for "
                  "around after before during too also again each both more so done down "
                  "complete completed finished logged yay woohoo but ride rides")
# ... and the only words allowed right before one ("Jack did 1.5", "and 2 at PE"; not "I'm 35").
LEAD_OK = words("and & n plus then but , : - – = + ( about around almost nearly over just only "
                "like another also")
# Between a bare number and those words, what was done: "Jack 0.5 walking", "Emma 1 walk" (the
# word after it must still be one of FOLLOW_OK: "Emma 2 running shoes" is no log) ...
ACTIVITY_AFTER = words("walk walking run running jog jogging hike hiking bike biking cycling "
                       "swim swimming scooter skating rollerblading")
# ... and these, right after a child's name only ("Jack 0.5 walked"; not "3 kids, 2 ran").
ACTIVITY_DONE = words("walked ran jogged hiked biked")
# Words earlier in the same part (see PART_BREAKS) that make an amount a plan, a wish, a place.
CUES = words("live lives living located drive drove driving commute goal goals plan plans "
             "planning planned want wants wanna hope hoping gonna will we'll i'll she'll "
             "he'll they'll let's lets should could would might can need needs if try "
             "trying aim aiming can't cant couldn't couldnt won't wont don't dont doesn't "
             "doesnt didn't didnt never not")
# Before an amount, these make it an event unless its part says it was done: "at the 5k".
EVENT_WORDS = words("the your first next this")
JOINERS = words(", & and n + / plus")
# Where a message breaks: into lines (and sentences), parts (at commas too), and clauses.
LINE_BREAKS = frozenset([".", ";", "!", "?", "…", "\n"])
PART_BREAKS = LINE_BREAKS | {","}
CLAUSE_BREAKS = PART_BREAKS | words("and & but then plus +")
# Between two amounts, these make the second a restatement: "8 laps = 2 miles", "2 miles (8 laps)".
RESTATE = words("= ( ) ~ ≈ aka")

COMMON = words("ok okay yes yeah yay woohoo wow whew phew hi hey hello good great nice awesome "
               "amazing thanks thank update total only about almost nearly over around just "
               "another first morning afternoon evening night week day mile family school "
               "park trail beach neighborhood practice team class go the my our we she he "
               "they me us him her his mom mommy dad daddy grandma grandpa nana papa brother "
               "sister son daughter kid kiddo baby coach teacher friend friends dog a an also "
               "too then so proud today tonight yesterday miles laps lap blocks block")
KNOWN_WORDS = (QUESTION_WORDS | VERBS | frozenset(ACTIVITY) | EVERYONE | CUES | FOLLOW_OK | COMMON
               | BLOCK_BEFORE)
# A child called Will, May or Hope is only recognized when the name is capitalized.
ORDINARY_WORDS = KNOWN_WORDS | frozenset(MONTHS) | frozenset(WEEKDAYS) | frozenset(ONES) \
    | frozenset(TENS) | frozenset(UNITS)
