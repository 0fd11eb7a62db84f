"""Reporting verbs (all inflected forms, lower case) and other attribution vocabulary.

The model is loaded without tagger and lemmatizer, so verbs are matched by their written
form; the dependency parse decides whether the word is used as a verb with a subject.
"""

_LEMMAS = {
    # lemma: every other form when irregular; empty when the regular -s/-ed/-ing forms apply
    "say": ("said", "says", "saying"),
    "tell": ("told", "tells", "telling"),
    "write": ("wrote", "written", "writes", "writing"),
    "add": (), "state": (), "claim": (), "argue": (), "explain": (), "note": (), "warn": (),
    "announce": (), "insist": (), "acknowledge": (), "assert": (), "contend": (), "declare": (),
    "suggest": (), "report": (), "respond": (), "recall": (), "predict": (), "confirm": (),
    "complain": (), "caution": (), "concede": (), "emphasize": (), "stress": (), "maintain": (),
    "remark": (), "observe": (), "tweet": (), "post": (), "testify": ("testified", "testifies", "testifying"),
    "reply": ("replied", "replies", "replying"), "deny": ("denied", "denies", "denying"),
    "admit": ("admits", "admitted", "admitting"),
    "allege": (), "charge": (), "boast": (), "joke": (), "vow": (), "pledge": (), "promise": (),
    "reiterate": (), "indicate": (), "estimate": (), "counter": (), "scoff": (), "quip": ("quips", "quipped", "quipping"),
    "ask": (), "reveal": (), "disclose": (), "conclude": (), "concur": ("concurs", "concurred", "concurring"),
    "agree": (), "accuse": (), "mention": (), "point": (), "learn": (), "continue": (),
    "talk": (), "speak": ("spoke", "spoken", "speaks", "speaking"), "comment": (), "cite": (),
    "criticize": (), "attack": (), "question": (), "urge": (), "demand": (), "defend": (),
    "propose": (), "reject": (), "endorse": (), "want": (), "plan": ("plans", "planned", "planning"),
    "refuse": (), "decline": (), "discuss": (), "blame": (), "praise": (), "slam": ("slams", "slammed", "slamming"),
    "blast": (), "rule": (), "rate": (), "support": (), "oppose": (), "express": (), "address": (),
    "find": ("found", "finds", "finding"), "show": ("showed", "shown", "shows", "showing"),
    "call": (), "describe": (), "chant": (), "shout": (), "yell": (), "scream": (), "exclaim": (),
    "sing": ("sang", "sung", "sings", "singing"),
    "think": ("thinks", "thought", "thinking"), "believe": (), "hope": (), "fear": (), "expect": (),
    "worry": ("worries", "worried", "worrying"), "feel": ("feels", "felt", "feeling"),
}


def _forms(lemma, irregular):
    if irregular:
        return {lemma, *irregular}
    e_final = lemma.endswith("e") and not lemma.endswith("ee")
    past = lemma + "d" if lemma.endswith("e") else lemma + "ed"
    third = lemma + ("es" if lemma.endswith(("s", "sh", "ch", "x")) else "s")
    return {lemma, third, past, (lemma[:-1] if e_final else lemma) + "ing"}


# Verbs whose object or prepositional complement is what is attributed ("talked about X",
# "called for X", "criticized X", "wants to X"), also without quotation marks.
_COMPLEMENT_LEMMAS = {
    "talk": (), "speak": ("spoke", "spoken", "speaks", "speaking"), "comment": (), "cite": (),
    "criticize": (), "attack": (), "question": (), "urge": (), "demand": (), "defend": (),
    "propose": (), "reject": (), "endorse": (), "want": (), "plan": ("plans", "planned", "planning"),
    "refuse": (), "decline": (), "vow": (), "promise": (), "pledge": (), "discuss": (),
    "find": ("found", "finds", "finding"), "show": ("showed", "shown", "shows", "showing"),
    "warn": (), "worry": ("worries", "worried", "worrying"), "complain": (), "accuse": (), "ask": (),
    "insist": (), "agree": (), "describe": (), "mention": (), "announce": (), "deny": ("denied", "denies", "denying"),
    "admit": ("admits", "admitted", "admitting"), "reveal": (), "blame": (), "praise": (), "slam": ("slams", "slammed", "slamming"),
    "blast": (), "rule": (), "rate": (), "support": (), "oppose": (), "express": (), "address": (),
}

REPORTING_VERBS = frozenset(form for lemma, extra in _LEMMAS.items() for form in _forms(lemma, extra))
COMPLEMENT_VERBS = frozenset(form for lemma, extra in _COMPLEMENT_LEMMAS.items() for form in _forms(lemma, extra))

# Verbs whose complement is attributed only after these prepositions ("called for X", not
# "called the plan a disaster").
PREPOSITION_VERBS = {form: ("for", "on") for form in _forms("call", ())}

# "according to X", "in the words of X": (first word, second word) source markers.
SOURCE_MARKERS = frozenset({("according", "to")})

# Words that cannot be a speaker by themselves (expletives, relative pronouns).
NON_SPEAKERS = frozenset({"this", "that", "there", "which", "what", "who"})

PERSON_PRONOUNS = frozenset({"he", "she", "i", "we", "you"})
PLURAL_PRONOUNS = frozenset({"they"})

# Head nouns of descriptions that refer to people ("a spokeswoman for the department").
PERSON_NOUNS = frozenset("""
spokesman spokeswoman spokesperson spokesmen spokeswomen official officials aide aides adviser
advisers advisor advisors source sources staffer staffers analyst analysts expert experts
economist economists lawyer lawyers attorney attorneys member members leader leaders
supporter supporters critic critics voter voters resident residents witness witnesses
person people man woman men women candidate candidates lawmaker lawmakers senator senators
president secretary minister director chairman chairwoman executive executives officer officers
strategist strategists operative operatives insider insiders friend friends colleague colleagues
representative representatives investigator investigators prosecutor prosecutors police
""".split())
