"""Reporting verbs (all inflected forms, lower case) and other attribution vocabulary.

The model is loaded without tagger and lemmatizer, so verbs are matched by their written
form; the dependency parse decides whether the word is used as a verb with a subject.
"""

# lemma: every other form when irregular; empty when the regular -s/-ed/-ing forms apply
_LEMMAS = {
    # speech and writing
    "say": ("said", "says", "saying"), "tell": ("told", "tells", "telling"),
    "write": ("wrote", "written", "writes", "writing"), "speak": ("spoke", "spoken", "speaks", "speaking"),
    "sing": ("sang", "sung", "sings", "singing"), "read": ("reads", "reading"), "testify": ("testified", "testifies", "testifying"),
    "reply": ("replied", "replies", "replying"), "deny": ("denied", "denies", "denying"),
    "admit": ("admits", "admitted", "admitting"), "quip": ("quips", "quipped", "quipping"),
    "concur": ("concurs", "concurred", "concurring"), "slam": ("slams", "slammed", "slamming"),
    "add": (), "state": (), "claim": (), "argue": (), "explain": (), "note": (), "warn": (),
    "announce": (), "insist": (), "acknowledge": (), "assert": (), "contend": (), "declare": (),
    "suggest": (), "report": (), "respond": (), "recall": (), "predict": (), "confirm": (),
    "complain": (), "caution": (), "concede": (), "emphasize": (), "stress": (), "maintain": (),
    "remark": (), "observe": (), "tweet": (), "post": (), "allege": (), "charge": (), "boast": (),
    "joke": (), "vow": (), "pledge": (), "promise": (), "reiterate": (), "indicate": (),
    "estimate": (), "counter": (), "scoff": (), "ask": (), "reveal": (), "disclose": (),
    "conclude": (), "agree": (), "accuse": (), "mention": (), "point": (), "learn": (),
    "continue": (), "call": (), "describe": (), "chant": (), "shout": (), "yell": (), "scream": (),
    "exclaim": (), "talk": (), "comment": (), "cite": (), "criticize": (), "attack": (),
    "question": (), "urge": (), "demand": (), "defend": (), "propose": (), "reject": (),
    "endorse": (), "refuse": (), "decline": (), "discuss": (), "blame": (), "praise": (),
    "blast": (), "rule": (), "rate": (), "support": (), "oppose": (), "express": (), "address": (),
    # thought, stance, evidence (BELIEF_VERBS)
    "think": ("thinks", "thought", "thinking"), "feel": ("feels", "felt", "feeling"),
    "worry": ("worries", "worried", "worrying"), "find": ("found", "finds", "finding"),
    "show": ("showed", "shown", "shows", "showing"), "plan": ("plans", "planned", "planning"),
    "believe": (), "hope": (), "fear": (), "expect": (), "want": (),
}

# Lemmas that attribute thoughts, intentions, findings or evidence, not words (category belief).
_BELIEF_LEMMAS = ("think", "feel", "worry", "find", "show", "plan", "believe", "hope", "fear", "expect", "want")

# Lemmas whose object or prepositional complement is what is attributed ("talked about X",
# "criticized X", "wants to X"), also without quotation marks. The other verbs report a
# clause ("said that ..."), or a complement only when it holds a quotation.
_COMPLEMENT_LEMMAS = frozenset("""
accuse acknowledge address admit agree announce ask attack blame blast cite comment complain
concede confirm criticize decline defend demand deny describe discuss emphasize endorse express
find insist mention note oppose plan pledge praise promise propose question rate recall refuse
reiterate reject reveal rule show slam speak stress support talk urge vow want warn worry
""".split())


def _forms(lemma, irregular):
    if irregular:
        return {lemma, *irregular}
    e_final = lemma.endswith("e") and not lemma.endswith("ee")
    past = lemma + "d" if lemma.endswith("e") else lemma + "ed"
    third = lemma + ("es" if lemma.endswith(("s", "sh", "ch", "x")) else "s")
    return {lemma, third, past, (lemma[:-1] if e_final else lemma) + "ing"}


REPORTING_VERBS = frozenset(form for lemma, extra in _LEMMAS.items() for form in _forms(lemma, extra))
COMPLEMENT_VERBS = frozenset(form for lemma in _COMPLEMENT_LEMMAS for form in _forms(lemma, _LEMMAS[lemma]))
BELIEF_VERBS = frozenset(form for lemma in _BELIEF_LEMMAS for form in _forms(lemma, _LEMMAS[lemma]))

# Verbs whose object does what their infinitive says ("led Debbie Wasserman Schultz to
# announce", "prompted the Atlas to state"): the object speaks, not the subject. Other verbs
# keep their subject ("used his speech to attack", "spent the weekend to campaign").
OBJECT_CONTROL_VERBS = frozenset(form for lemma, irregular in {
    "lead": ("led", "leads", "leading"), "prompt": (), "force": (), "ask": (), "urge": (), "allow": (),
    "encourage": (), "push": (), "cause": (), "invite": (), "persuade": (), "convince": (), "pressure": (),
    "inspire": (), "tell": ("told", "tells", "telling"), "get": ("got", "gotten", "gets", "getting"),
    "spur": ("spurs", "spurred", "spurring"), "drive": ("drove", "driven", "drives", "driving"),
    "compel": ("compels", "compelled", "compelling"), "enable": (), "require": (), "challenge": (), "dare": (),
    "press": (), "provoke": (), "move": (), "help": (), "trigger": (), "motivate": (),
}.items() for form in _forms(lemma, irregular))

# Verbs whose particle makes them something else ("show up", "call off").
PARTICLES_NOT_REPORTING = frozenset({"up", "off", "down", "away"})

# Verbs whose complement is attributed only after these prepositions ("called for X", not
# "called the plan a disaster").
PREPOSITION_VERBS = {form: ("for", "on") for form in _forms("call", ())}

# Nouns that report what their possessor said or thinks ("Trump's claim that ...").
CUE_NOUNS = frozenset("""
claim claims statement statements remark remarks comment comments argument arguments assertion
assertions allegation allegations warning warnings promise promises pledge suggestion
suggestions view views belief beliefs insistence contention assessment accusation accusations
charge charges prediction predictions admission denial announcement concern concerns
""".split())

# Cue nouns of thoughts and findings (category belief): "Trump's belief that ...".
BELIEF_NOUNS = frozenset("view views belief beliefs assessment concern concerns".split())

# Verbs that characterize what they govern in the speaker's words: a quoted fragment they
# govern (two words or more; one word stays a scare quote) is the subject's (``likened the
# refugees to a "vicious snake"``).
_CHARACTERIZING_LEMMAS = {
    "label": (), "dub": ("dubs", "dubbed", "dubbing"), "brand": (), "characterize": (), "liken": (),
    "compare": (), "hail": (), "laud": (), "condemn": (), "denounce": (), "dismiss": (), "mock": (),
    "deride": (), "term": (), "portray": (), "paint": (), "tout": (), "proclaim": (), "reference": (),
    "invoke": (), "use": (), "refer": ("refers", "referred", "referring"), "decry": ("decries", "decried", "decrying"),
    "thank": (), "applaud": (), "lament": (), "bemoan": (), "ridicule": (),
}
CHARACTERIZING_VERBS = frozenset(form for lemma, extra in _CHARACTERIZING_LEMMAS.items() for form in _forms(lemma, extra))

# Verbs that report nothing when they take a plain direct object ("add two sessions", but
# "added that ...", "he added.", 'added "it is time"').
OBJECT_NOT_REPORTED_VERBS = frozenset(_forms("add", ()))

# Two-word source markers: "according to X".
SOURCE_MARKERS = frozenset({("according", "to")})

# Words that cannot be a speaker by themselves (expletives, relative pronouns).
NON_SPEAKERS = frozenset({"this", "that", "there", "which", "what", "who"})

PERSON_PRONOUNS = frozenset({"he", "she", "i", "we", "you"})
PLURAL_PRONOUNS = frozenset({"they"})

# Head nouns of descriptions that refer to people ("a spokeswoman for the department", "the
# Republican nominee"): roles, occupations, relatives and groups of people, singular and plural.
PERSON_NOUNS = frozenset("""
spokesman spokeswoman spokesperson spokesmen spokeswomen official officials aide aides adviser
advisers advisor advisors source sources staffer staffers analyst analysts expert experts
economist economists lawyer lawyers attorney attorneys member members leader leaders
supporter supporters critic critics voter voters resident residents witness witnesses
person people man woman men women candidate candidates lawmaker lawmakers senator senators
president secretary minister director chairman chairwoman executive executives officer officers
strategist strategists operative operatives insider insiders friend friends colleague colleagues
representative representatives investigator investigators prosecutor prosecutors police
governor governors nominee nominees mayor mayors congressman congresswoman congressmen legislator
legislators ambassador envoy diplomat diplomats judge judges justice justices manager managers
chief ceo founder cofounder co-founder owner owners partner partners businessman businesswoman
businessmen tycoon mogul billionaire millionaire host anchor reporter reporters journalist
journalists correspondent columnist columnists commentator commentators editor editors writer
writers author authors pollster pollsters consultant consultants lobbyist lobbyists donor donors
backer backers ally allies opponent opponents rival rivals delegate delegates superdelegate
superdelegates activist activists organizer organizers volunteer volunteers protester protesters
protestor protestors demonstrator demonstrators observer observers participant participants
attendee attendees listener listeners viewer viewers fan fans follower followers user users
respondent respondents employee employees worker workers student students teacher teachers
professor professors scientist scientists researcher researchers doctor doctors physician
nurse nurses pastor pastors priest rabbi imam bishop veteran veterans soldier soldiers general
commander agent agents detective sheriff citizen citizens immigrant immigrants refugee refugees
victim victims survivor survivors neighbor neighbors parent parents father mother son daughter
husband wife brother sister widow actor actress comedian singer narrator politician politicians
conservative conservatives liberal liberals progressive progressives millennials associate associates
""".split())

# Words of speech beyond the rules' lists, for the category of the trained model's cues only
# (docs/quotes.md, "category"): verbs and nouns of saying, writing, asking, promising,
# praising or criticising. A model cue holding one of these, or a speech word of the rules,
# reports words (speech, or topic without a clause); any other model cue is an attributed
# thought, intention, stance or finding (belief). They are no rule cues.
_SPEECH_LEMMAS = {
    "brag": ("brags", "bragged", "bragging"), "assure": (), "inform": (),
    "notify": ("notified", "notifies", "notifying"), "advise": (), "retort": (), "threaten": (), "recommend": (),
    "request": (), "inquire": (), "answer": (), "rebut": ("rebuts", "rebutted", "rebutting"), "dispute": (),
    "congratulate": (), "apologize": (), "confess": (), "recount": (), "repeat": (), "highlight": (), "forecast": (),
    "guarantee": (), "swear": ("swore", "sworn", "swears", "swearing"), "plead": (), "debate": (), "whisper": (),
    "mutter": (), "tease": (), "sneer": (), "grumble": (), "protest": (), "object": (), "hint": (),
    "imply": ("implied", "implies", "implying"), "disagree": (), "clarify": ("clarified", "clarifies", "clarifying"),
    "elaborate": (), "outline": (), "profess": (), "quote": (), "email": (), "text": (), "broadcast": (),
    "publish": (), "brief": (), "greet": (), "invite": (), "order": (), "instruct": (), "alert": (), "remind": (),
    "lobby": ("lobbied", "lobbies", "lobbying"), "pitch": (), "press": (), "challenge": (), "bash": (),
    "lambaste": (), "berate": (), "scold": (), "chide": (), "rail": (), "rip": ("rips", "ripped", "ripping"),
    "hit": ("hits", "hitting"), "pan": ("pans", "panned", "panning"), "trash": (),
    "echo": ("echoes", "echoed", "echoing"), "affirm": (), "reaffirm": (), "retract": (), "acclaim": (),
    "commend": (), "compliment": (), "interview": (), "recite": (), "preach": (), "lecture": (),
}
SPEECH_WORDS = frozenset(form for lemma, extra in _SPEECH_LEMMAS.items() for form in _forms(lemma, extra)) | frozenset("""
admissions denials announcements criticism criticisms speech speeches interview interviews testimony letter letters
email emails memo memos op-ed editorial column complaint complaints answer answers response responses message
messages plea pleas appeal appeals request requests threat threats quote quotes words rhetoric confirmation
declaration declarations explanation explanations description proposal proposals recommendation recommendations
apology endorsement endorsements rebuke condemnation
""".split())
