"""Word lists the rules use. Documented in docs/suggestions.md; change them here only.

Everything is plain data so that the lists can be read, tested and extended without touching rules.
"""

# Cue verbs by lemma: every inflected form listed counts as a cue. The participle (``-ing``) forms
# attach to the subject of the main clause ("Mr. Trump pulled the nomination, saying he wanted ...").
CUE_VERBS: dict[str, tuple[str, ...]] = {
    "say": ("say", "says", "said", "saying"),
    "tell": ("tell", "tells", "told", "telling"),
    "add": ("add", "adds", "added", "adding"),
    "warn": ("warn", "warns", "warned", "warning"),
    "argue": ("argue", "argues", "argued", "arguing"),
    "state": ("state", "states", "stated", "stating"),
    "explain": ("explain", "explains", "explained", "explaining"),
    "note": ("note", "notes", "noted", "noting"),
    "insist": ("insist", "insists", "insisted", "insisting"),
    "claim": ("claim", "claims", "claimed", "claiming"),
    "assert": ("assert", "asserts", "asserted", "asserting"),
    "acknowledge": ("acknowledge", "acknowledges", "acknowledged", "acknowledging"),
    "admit": ("admit", "admits", "admitted", "admitting"),
    "announce": ("announce", "announces", "announced", "announcing"),
    "declare": ("declare", "declares", "declared", "declaring"),
    "reply": ("reply", "replies", "replied", "replying"),
    "respond": ("respond", "responds", "responded", "responding"),
    "write": ("write", "writes", "wrote", "writing"),
    "ask": ("ask", "asks", "asked", "asking"),
    "suggest": ("suggest", "suggests", "suggested", "suggesting"),
    "urge": ("urge", "urges", "urged", "urging"),
    "predict": ("predict", "predicts", "predicted", "predicting"),
    "confirm": ("confirm", "confirms", "confirmed", "confirming"),
    "deny": ("deny", "denies", "denied", "denying"),
    "maintain": ("maintain", "maintains", "maintained", "maintaining"),
    "contend": ("contend", "contends", "contended", "contending"),
    "counter": ("counter", "counters", "countered", "countering"),
    "stress": ("stress", "stresses", "stressed", "stressing"),
    "emphasize": ("emphasize", "emphasizes", "emphasized", "emphasizing"),
    "recall": ("recall", "recalls", "recalled", "recalling"),
    "repeat": ("repeat", "repeats", "repeated", "repeating"),
    "specify": ("specify", "specifies", "specified", "specifying"),
    "report": ("report", "reports", "reported", "reporting"),
    "testify": ("testify", "testifies", "testified", "testifying"),
    "tweet": ("tweet", "tweets", "tweeted", "tweeting"),
    "complain": ("complain", "complains", "complained", "complaining"),
    "concede": ("concede", "concedes", "conceded", "conceding"),
    "caution": ("caution", "cautions", "cautioned", "cautioning"),
    "observe": ("observe", "observes", "observed", "observing"),
    "remark": ("remark", "remarks", "remarked", "remarking"),
    "promise": ("promise", "promises", "promised", "promising"),
    "vow": ("vow", "vows", "vowed", "vowing"),
    "pledge": ("pledge", "pledges", "pledged", "pledging"),
    "threaten": ("threaten", "threatens", "threatened", "threatening"),
    "estimate": ("estimate", "estimates", "estimated", "estimating"),
    "reiterate": ("reiterate", "reiterates", "reiterated", "reiterating"),
    "allege": ("allege", "alleges", "alleged", "alleging"),
    "point out": ("point out", "points out", "pointed out", "pointing out"),
    "signal": ("signal", "signals", "signaled", "signalled", "signaling", "signalling"),
    "indicate": ("indicate", "indicates", "indicated", "indicating"),
    "disclose": ("disclose", "discloses", "disclosed", "disclosing"),
    "reveal": ("reveal", "reveals", "revealed", "revealing"),
}

# Multi-word cue introducing its source after it: "..., according to X" / "According to X, ...".
ACCORDING_TO = "according to"

CUE_FORMS: dict[str, str] = {form: lemma for lemma, forms in CUE_VERBS.items() for form in forms}
PARTICIPLES: frozenset[str] = frozenset(f for forms in CUE_VERBS.values() for f in forms if f.endswith("ing"))
# Verbs whose object is the hearer: "told reporters that ...", "warned lawmakers that ...".
HEARER_VERBS: frozenset[str] = frozenset({"tell", "warn", "ask", "urge", "remind", "assure", "inform", "promise"})

# Between subject and cue: "had warned", "has also said", "would later say".
AUXILIARIES: frozenset[str] = frozenset({
    "had", "has", "have", "also", "previously", "later", "then", "once", "repeatedly", "would", "will",
    "could", "did", "does", "do", "recently", "again", "further", "separately", "publicly", "privately",
    "earlier", "often", "long", "already", "once", "never", "still", "even", "frequently", "has long",
})

# What may stand between a cue and the reported clause: "said on Tuesday that", "said in a statement".
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DOCUMENT_NOUNS: frozenset[str] = frozenset({
    "statement", "interview", "email", "e-mail", "letter", "tweet", "post", "speech", "memo", "report",
    "filing", "release", "message", "op-ed", "essay", "video", "podcast", "conference", "briefing",
})

PERSONAL_PRONOUNS: frozenset[str] = frozenset({"he", "she"})
PLURAL_PRONOUNS: frozenset[str] = frozenset({"they"})
ORG_PRONOUNS: frozenset[str] = frozenset({"it"})
FIRST_PERSON: frozenset[str] = frozenset({"i", "we"})

# Honorifics are dropped from a speaker's name; titles are kept when they are all there is.
HONORIFICS: frozenset[str] = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "sir", "dame"})
TITLES: frozenset[str] = frozenset({
    "president", "vice", "senator", "sen", "representative", "rep", "governor", "gov", "mayor",
    "secretary", "judge", "justice", "general", "gen", "director", "chairman", "chairwoman", "chair",
    "prime", "minister", "chancellor", "commissioner", "sheriff", "chief", "attorney", "speaker",
    "professor", "pope", "king", "queen", "prince", "princess", "lt", "col", "capt", "sgt", "officer",
    "ambassador", "detective", "superintendent", "coach", "lord", "lady", "deputy", "acting", "former",
    "first", "sergeant", "captain", "colonel", "lieutenant", "admiral", "bishop", "cardinal", "rabbi",
    "imam", "father", "sister", "brother", "congressman", "congresswoman", "councilman", "councilwoman",
    "state", "leader", "premier", "principal", "dean", "pastor", "trooper", "agent",
})

# Heads of noun phrases that name groups of (usually unnamed) sources: "two homeland security officials".
SOURCE_NOUNS: frozenset[str] = frozenset({
    "officials", "official", "sources", "source", "experts", "expert", "analysts", "analyst", "critics",
    "critic", "lawmakers", "lawmaker", "advocates", "advocate", "residents", "resident", "aides", "aide",
    "advisers", "adviser", "advisors", "advisor", "officers", "agents", "people", "witnesses", "witness",
    "democrats", "republicans", "economists", "economist", "scientists", "scientist", "researchers",
    "researcher", "doctors", "lawyers", "lawyer", "attorneys", "prosecutors", "prosecutor",
    "investigators", "investigator", "activists", "activist", "leaders", "members", "employees",
    "employee", "workers", "authorities", "observers", "spokesman", "spokeswoman", "spokesperson",
    "representatives", "executives", "executive", "diplomats", "diplomat", "organizers", "supporters",
    "opponents", "teachers", "parents", "students", "police", "politicians", "staffers", "staff",
    "voters", "protesters", "demonstrators", "scholars", "historians", "immigrants", "migrants",
    "farmers", "owners", "managers", "negotiators", "insiders", "observers", "commentators", "donors",
    "allies", "colleagues", "friends", "relatives", "neighbors", "family", "doctors", "nurses", "victims",
    "ranchers", "growers", "fishermen", "shoppers", "consumers", "patients", "users", "customers", "tenants",
    "landlords", "homeowners", "drivers", "passengers", "travelers", "travellers", "fans", "players",
    "athletes", "coaches", "educators", "physicians", "engineers", "officers", "soldiers", "veterans",
    "survivors", "families", "businesses", "retailers", "investors", "traders", "bankers", "clinicians",
    "councillors", "councilors", "legislators", "senators", "judges", "guards", "inspectors", "regulators",
})

# Heads that make a noun phrase an organization: "the agency", "the White House".
ORG_NOUNS: frozenset[str] = frozenset({
    "agency", "department", "ministry", "administration", "government", "company", "campaign",
    "organization", "group", "office", "committee", "council", "court", "commission", "board", "bureau",
    "firm", "union", "party", "police", "military", "army", "embassy", "university", "hospital",
    "school", "association", "coalition", "network", "newspaper", "prosecutor's office", "senate",
    "house", "congress", "parliament", "team", "club", "league", "bank", "service", "authority",
    "institute", "foundation", "startup", "start-up", "agency's", "utility", "district", "county", "city",
})
ORG_NAME_WORDS: frozenset[str] = frozenset({
    "department", "agency", "ministry", "enforcement", "office", "council", "committee", "association",
    "company", "inc", "corp", "university", "police", "party", "court", "times", "news", "post", "house",
    "congress", "senate", "bank", "institute", "foundation", "union", "commission", "bureau", "service",
    "services", "administration", "organization", "network", "group", "center", "centre", "league",
    "board", "fund", "authority", "command", "forces", "army", "navy", "journal", "press", "reuters",
    "customs", "security", "investigations", "operations", "republic", "nations", "states", "church",
    "labs", "lab", "ventures", "partners", "holdings", "technologies", "systems", "capital", "research",
    "association", "federation", "alliance", "coalition", "ministry", "council", "agency",
})

# Words that can begin a sentence but never a speaker's name.
NON_NAME_WORDS: frozenset[str] = frozenset({
    "but", "and", "or", "so", "yet", "on", "in", "at", "the", "this", "that", "these", "those", "when",
    "while", "after", "before", "later", "earlier", "still", "however", "asked", "a", "an", "for", "as",
    "if", "though", "although", "because", "since", "under", "last", "next", "then", "now", "there",
    "here", "his", "her", "their", "its", "our", "my", "your", "what", "why", "how", "who", "where",
    "it", "he", "she", "they", "we", "i", "you", "many", "some", "most", "all", "both", "each", "every",
    "no", "not", "by", "with", "from", "to", "of", "into", "about", "over", "during", "even", "also",
    "meanwhile", "instead", "indeed", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", "widespread", "senior", "new", "according",
})

# Words opening a subordinate clause: "While ICE officials argue that A, B." ends the content at the comma.
SUBORDINATORS: frozenset[str] = frozenset({
    "while", "although", "though", "whereas", "because", "if", "as", "since", "when", "after", "before",
    "even",
})

# A reported clause does not start with these: "said as he left", "told the committee about it".
NON_CLAUSE_STARTS: frozenset[str] = frozenset({
    "as", "in", "on", "at", "to", "of", "for", "with", "by", "from", "about", "nothing", "so", "yes",
    "no", "goodbye", "hello", "little", "something", "anything", "more", "less", "much", "otherwise",
    "before", "after", "during", "through", "when", "while",
})


NUMBER_WORDS: frozenset[str] = frozenset({
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "several", "some",
    "many", "few", "a few", "dozens", "numerous", "multiple", "other", "most", "all", "both",
})
DETERMINERS: frozenset[str] = frozenset({"the", "a", "an", "these", "those", "its", "his", "her", "their"})
