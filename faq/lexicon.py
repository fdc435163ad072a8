"""The words the matcher treats specially: chat spelling, synonyms and filler.

Kept apart from the matching code so organizers' vocabulary can grow without touching logic.
Everything here is lowercase surface text; the normalizer stems it at load time.
"""

from __future__ import annotations

# Contractions and apostrophe-less chat spellings, replaced before tokenizing.
CONTRACTIONS: dict[str, str] = {
    "won't": "will not",
    "can't": "can not",
    "cannot": "can not",
    "n't": " not",
    "'re": " are",
    "'m": " am",
    "'ll": " will",
    "'ve": " have",
    "'d": " would",
    "'s": "",
}

# Whole-token rewrites: text speak, apostrophe-less contractions, frequent misspellings that a
# generic edit distance gets wrong (too short, or closer to another word).
TOKEN_REWRITES: dict[str, str] = {
    "u": "you", "w": "with", "k": "kindergarten", "ya": "you", "ur": "your", "r": "are",
    "y": "why", "n": "and",
    "pls": "please", "plz": "please", "pleas": "please",
    "wat": "what", "wut": "what", "wht": "what", "whta": "what", "wen": "when", "wher": "where",
    "hw": "how", "b4": "before", "bc": "because", "cuz": "because", "coz": "because",
    "thx": "thanks", "ty": "thanks", "tnx": "thanks", "thanx": "thanks", "tks": "thanks",
    "dont": "do not", "cant": "can not", "wont": "will not", "isnt": "is not",
    "doesnt": "does not", "didnt": "did not", "arent": "are not", "havent": "have not",
    "whats": "what is", "wheres": "where is", "whens": "when is", "hows": "how is",
    "im": "i am", "shes": "she is", "hes": "he is", "theres": "there is",
    "ive": "i have", "theyre": "they are", "thats": "that is", "youre": "you are",
    "gonna": "going to", "wanna": "want to", "gotta": "have to", "shud": "should",
    "shld": "should", "cud": "could", "wud": "would", "abt": "about", "tho": "though",
    "yr": "year", "yrs": "years", "hr": "hour", "hrs": "hours",
    "kiddo": "kid", "kiddos": "kids", "lil": "little", "tmrw": "tomorrow", "2day": "today",
    "mi": "mile", "mis": "miles", "practise": "practice", "practising": "practicing",
    "refun": "refund", "refunt": "refund", "grandmom": "grandma", "gma": "grandma",
    "gpa": "grandpa", "granny": "grandma", "nana": "grandma", "papa": "grandpa",
    "mum": "mom", "mommy": "mom", "daddy": "dad", "kinder": "kindergarten", "tk": "kindergarten",
    "oc": "orange county", "socal": "southern california", "sneaks": "sneakers",
    "h2o": "water", "hydrate": "water", "hydrated": "water", "hydration": "water",
}

# Multi-word phrases that mean one thing, replaced on the token sequence.
PHRASES: dict[str, str] = {
    "money back": "refund",
    "get my money": "refund",
    "show up": "arrive",
    "get there": "arrive",
    "be there": "arrive",
    "sign up": "register",
    "signed up": "register",
    "signing up": "register",
    "warm up": "stretch",
    "keep track": "track",
    "mark off": "color",
    "high school track": "hightrack",
    "race track": "hightrack",
    "running track": "hightrack",
    "city block": "block",
    "final mile": "race",
    "race day": "race",
    "event day": "race",
    "little one": "child",
    "orange county": "oc",
    "southern california": "socal",
    "packet pick up": "packet",
    "packet pickup": "packet",
    "how old": "grade",
    "get in touch": "contact",
    "in charge": "organizer",
    "reach out": "contact",
    "how much is it": "cost",
    "how much does it": "cost",
}

# Synonym groups: every word on the right is read as the word on the left.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "child": ("kid", "kids", "child", "children", "son", "sons", "daughter", "daughters",
              "boy", "girl", "student", "students", "youngster", "toddler", "kiddie"),
    "parent": ("parent", "parents", "mom", "moms", "mother", "dad", "dads", "father",
               "guardian"),
    "family": ("family", "families", "grandma", "grandpa", "grandmother", "grandfather",
               "grandparent", "grandparents", "relatives", "aunt", "uncle", "friends", "friend",
               "siblings", "sibling", "brother", "sister", "cousins", "relative"),
    "refund": ("refund", "refunds", "refunded", "reimburse", "reimbursement", "refundable"),
    "arrive": ("arrive", "arrival", "arriving", "arrived"),
    "watch": ("watch", "watching", "spectate", "spectator", "spectators", "cheer", "cheering",
              "audience", "fans"),
    "cost": ("cost", "costs", "price", "fee", "fees", "pay", "paying", "charge", "expensive",
             "free", "dollars"),
    "register": ("register", "registration", "registering", "registered", "enroll", "enrol",
                 "enrolling", "signup", "sign"),
    "shoe": ("shoe", "shoes", "sneaker", "sneakers", "footwear", "trainers", "cleats"),
    "eat": ("eat", "eating", "food", "foods", "diet", "meal", "meals", "snack", "snacks",
            "nutrition", "fuel"),
    "sleep": ("sleep", "sleeping", "nap", "naps", "bedtime", "tired"),
    "stretch": ("stretch", "stretches", "stretching", "warmup"),
    "run": ("run", "runs", "running", "ran", "jog", "jogging", "walk", "walking", "walked",
            "sprint"),
    "race": ("race", "races", "event", "marathon"),
    "grade": ("grade", "grades", "grader", "graders", "kindergarten", "age", "ages",
              "kindergartener", "kindergarteners"),
    "finish": ("finish", "finished", "finishing", "complete", "completed", "completion",
               "done"),
    "award": ("award", "awards", "reward", "rewards", "prize", "prizes", "recognition",
              "recognize", "certificate", "treat", "incentive", "incentives"),
    "indoor": ("indoor", "indoors", "inside", "house", "home", "hallway", "basement",
               "apartment"),
    "sport": ("sport", "sports", "soccer", "football", "basketball", "baseball", "softball",
              "lacrosse", "tennis", "hockey"),
    "virtual": ("virtual", "virtually", "online", "remote", "remotely"),
    "covid": ("covid", "coronavirus", "pandemic", "delta", "virus"),
    "cancel": ("cancel", "cancelled", "canceled", "cancellation"),
    "coach": ("coach", "coaches", "coaching", "teacher", "teachers", "leader"),
    "practice": ("practice", "practices", "practicing"),
    "mile": ("mile", "miles", "mileage"),
    "partner": ("partner", "buddy", "alone", "solo", "someone", "company"),
    "early": ("early", "earlier", "ahead", "sooner", "quickly"),
}

# What a question asks for, read from its opening words ("where is parking" asks for a place).
# An entry can answer a question only if one of its phrasings asks the same about the same
# topic: the arrival-time entry mentions parking but never says where it is. "time" is a moment
# or a span (when, how early, how long, how far); "how much/many" are left out: they ask for a
# cost, a count or a duration alike.
QUESTION_TYPES: dict[str, str] = {
    "where": "place",
    "when": "time", "what time": "time", "what day": "time", "what date": "time",
    "how early": "time", "how soon": "time", "how long": "time", "how far": "time",
    "who": "person", "whom": "person",
    "how much": "amount",
}
# Openers skipped before a question's type is read: "hi, where is...", "ok so when...", and
# indirect questions: "can you tell me where...", "i was wondering who...".
OPENERS: frozenset[str] = frozenset({
    "hi", "hello", "hey", "hiya", "so", "ok", "okay", "and", "but", "um", "please", "quick",
    "question", "sorry", "also", "do", "does", "can", "could", "you", "tell", "me", "know",
    "i", "am", "was", "wondering",
})

# Filler: words that carry no topic in a parent's question. Question words are filler too:
# the topic words decide the entry, and "when/where" alone must never.
_FILLER = """
    a about above after again all also am an and any anyone anything are as at be because been
    being both but by can could did do does doing down during each either else even ever every
    few for from further get gets getting got had has have having he her here hers herself him
    himself his how i if in into is it its itself just let lets me might more most must my
    myself no nor not now of off oh ok okay on once only or other our ours ourselves out over
    own please quick quite really same she should so some still such than that the their
    theirs them themselves then there these they this those through to too under until up us
    very was we were what when where whether which while who whom whose why will with would
    yes yet you your yours yourself yourselves hi hello hey hiya howdy thanks thank morning
    afternoon evening question questions wondering wonder know tell want need like going go
    able allowed okay anybody somebody something thing things way also maybe pretty kind sort
    one guys year years before during later lot lots
"""
STOPWORDS: frozenset[str] = frozenset(_FILLER.split())
