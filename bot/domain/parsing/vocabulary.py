"""The words victims use, in Devanagari, Latin-script Hindi and English: one table each.

Every reader of free text looks words up here, so a spelling learnt from a real answer
("pta nhi", "yesterdy", "हजार रुपे") is added once and understood at every step. Keys
are written as people type them; readers fold them with `plain_words` (lower case, no
nukta, one spelling of nasal signs) before comparing, so "हाँ" and "हां" are one entry.
"""

from __future__ import annotations

from decimal import Decimal

# --- replies --------------------------------------------------------------------------
# Whole short answers. A reply is read only when the answer, without polite words, is
# one of these phrases: "pata nahi" inside a description is not a "don't know".
YES_PHRASES = (
    "yes", "y", "yes sir", "yeah", "yea", "yep", "ya", "yah", "ok", "okay", "k", "correct",
    "right", "sure", "true", "haan", "han", "ha", "haa", "haaan", "hmm", "hm", "hanji",
    "haanji", "haan ji", "ha ji", "ji", "ji haan", "ji han", "sahi", "sahi hai", "sahi h",
    "theek hai", "thik hai", "theek", "thik", "bilkul", "bilkul sahi", "hau", "हां", "हा",
    "जी", "जी हां", "हां जी", "हाँ जी", "सही", "सही है", "ठीक है", "ठीक", "बिल्कुल", "बिलकुल",
    "हाँ सही है", "हां सही है", "yes correct", "yes right", "yes it is", "👍",
)  # fmt: skip
NO_PHRASES = (
    "no", "n", "nope", "nah", "not", "nahi", "nahin", "nhi", "nai", "nahee", "na", "naa",
    "nahi ji", "ji nahi", "galat", "galat hai", "wrong", "not correct", "incorrect",
    "नहीं", "नही", "ना", "जी नहीं", "नहीं जी", "गलत", "गलत है", "no sir", "no its wrong",
)  # fmt: skip
DONT_KNOW_PHRASES = (
    "pata nahi", "pta nhi", "pta nahi", "pata nhi", "patta nahi", "pata nahin", "nahi pata",
    "pata nai", "pta nai", "pta ni", "pata ni", "nai pata", "ni pata", "nhi pta", "malum nai",
    "nhi pata", "nahi pta", "malum nahi", "maloom nahi", "malum nhi", "maloom nahin",
    "nahi malum", "yaad nahi", "yad nahi", "yaad nhi", "nahi hai", "nhi hai", "nahi h",
    "nahin hai", "mere paas nahi hai", "mere pass nahi hai", "mere pas nahi hai",
    "paas nahi hai", "pass nahi hai", "nahi mila", "nahi mil raha", "dont know",
    "don t know", "i dont know", "i don t know", "do not know", "dunno", "idk", "no idea",
    "not sure", "not known", "unknown", "not available", "n a", "dont have",
    "don t have", "i dont have", "i don t have", "i do not have", "not with me",
    "पता नहीं", "पता नही", "नहीं पता", "नही पता", "मालूम नहीं", "मालूम नही", "याद नहीं",
    "नहीं है", "नही है", "मेरे पास नहीं है", "पास नहीं है", "नहीं मालूम", "नहीं मिला",
    "pata nahi hai", "kuch pata nahi", "मुझे नहीं पता", "mujhe nahi pata", "mujhe pata nahi",
    "mujhe nhi pata", "muje nahi pata", "i have no idea",
)  # fmt: skip
SAME_PHRASES = (
    "same", "same time", "same as before", "same as above", "same hi", "wahi", "wohi",
    "vahi", "wahi time", "wahi samay", "usi time", "usi samay", "ussi time", "same wala",
    "pehle wala", "pahle wala", "upar wala", "वही", "वही समय", "उसी समय", "उसी वक्त",
    "वही टाइम", "हां उसी समय", "हाँ उसी समय", "हां वही", "हां वही समय", "haan wahi",
    "haan same", "yes same", "yes same time", "ha same time", "haan usi time",
    "haan usi samay", "usi waqt", "same day same time",
)  # fmt: skip
NOTHING_LOST_PHRASES = (
    "kuch nahi gaya", "kuch nhi gaya", "kuchh nahi gaya", "kuch nahi", "kuch nhi",
    "kuchh nahi", "kuch bhi nahi gaya", "paise nahi gaye", "paisa nahi gaya",
    "paise nhi gaye", "paisa nhi gaya", "paise nahi kate", "paisa nahi kata",
    "koi paisa nahi gaya", "ek bhi paisa nahi gaya", "paise nahi gaye hai",
    "maine paise nahi diye", "maine paisa nahi diya", "paise nahi bheje", "payment nahi kiya",
    "no money lost", "no money was lost", "no money", "nothing lost", "nothing", "none",
    "nothing was taken", "no money taken", "i did not lose money", "i didn t lose money",
    "didnt lose money", "didn t lose any money", "i did not pay", "i didn t pay",
    "not paid", "no loss", "zero", "0",
    "कुछ नहीं गया", "कुछ नहीं", "कोई पैसा नहीं गया", "पैसे नहीं गए", "पैसा नहीं गया",
    "पैसे नहीं कटे", "पैसा नहीं कटा", "एक भी पैसा नहीं गया", "कोई नुकसान नहीं",
    "मैंने पैसे नहीं दिए", "पैसे नहीं दिए", "नुकसान नहीं हुआ", "koi nuksan nahi",
    "nuksan nahi hua", "koi nuksaan nahi", "kuch nahi kata",
)  # fmt: skip
# Politeness and fillers a short reply may carry without changing what it says.
REPLY_FILLERS = frozenset({
    "ji", "sir", "madam", "mam", "maam", "bhai", "bhaiya", "please", "pls", "plz",
    "thanks", "thank", "you", "dhanyavad", "जी", "सर", "भाई", "कृपया", "धन्यवाद", "to",
    "toh", "तो", "bas", "बस", "ok", "okay",
})  # fmt: skip

# --- words around a value -------------------------------------------------------------
# Words that carry no name: a bank, district or category answer may be wrapped in them
# ("mera account sbi me hai") and still be a sure answer.
FILLER_WORDS = frozenset({
    "mera", "meri", "mere", "mra", "my", "mine", "hamara", "humara", "apna", "the",
    "a", "an", "is", "was", "in", "at", "from", "with", "to", "of", "and", "it", "its",
    "ka", "ki", "ke", "ko", "se", "sey", "me", "mein", "mai", "main", "mei", "pe", "par",
    "hai", "h", "he", "hain", "tha", "thi", "hua", "hui", "hoon", "hu", "hun",
    "wala", "wali", "wale", "account", "acount", "accont", "acc", "ac", "a c", "c",
    "khata", "khaata", "ltd", "limited", "ji", "sir", "please", "pls", "bhi", "hi", "aur",
    "district", "distt", "dist", "jila", "zila", "zilla", "city", "shahar", "sheher",
    "rehta", "rehti", "rahta", "rahti", "rahte", "live", "lives", "living",
    "मेरा", "मेरी", "मेरे", "हमारा", "का", "की", "के", "को", "से", "में", "मे", "पर", "पे",
    "है", "हैं", "था", "थी", "थे", "हूं", "हूँ", "हुआ", "वाला", "वाली", "खाता", "अकाउंट",
    "एकाउंट", "जी", "भी", "और", "जिला", "जिले", "शहर", "रहता", "रहती", "रहते",
    "paise", "paisa", "pese", "paisay", "kat", "kata", "kate", "kaat", "gaye", "gaya",
    "gye", "gya", "gae", "nikle", "nikla", "nikal", "liye", "liya", "debit", "debited",
    "deducted", "cut", "gone", "sent", "पैसे", "पैसा", "कटे", "कटा", "गए", "गये",
    "गया", "निकले", "लिए", "डेबिट", "bank", "बैंक", "app", "ऐप", "एप",
})  # fmt: skip
# Words that make a number in a sentence a sum of money ("5000 kat gaye").
MONEY_WORDS = frozenset({
    "kat", "kata", "kate", "kaat", "katt", "katke", "gaye", "gaya", "gye", "gya", "gae",
    "gai", "liye", "liya", "lia", "lie", "nikle", "nikla", "nikal", "nikale", "nikaal",
    "nikaale", "debit", "debited", "deducted", "deduct", "cut", "gone", "lost", "lose",
    "sent", "paid", "pay", "payment", "transfer", "transferred", "bheje", "bheja", "bhej",
    "bheji", "diye", "diya", "dia", "de", "paise", "paisa", "pese", "paisay",
    "amount", "rakam", "rashi", "thagi", "thage", "thaga", "fraud", "scam", "loot", "lute",
    "withdrawn", "withdraw", "taken", "took", "total", "kul", "loss", "nuksan",
    "पैसे", "पैसा", "कटे", "कटा", "कट", "गए", "गये", "गया", "निकले", "निकाले", "भेजे",
    "भेजा", "दिए", "दिये", "लिए", "लिये", "डेबिट", "रकम", "राशि", "ठगी", "ठगे", "फ्रॉड",
    "कुल", "नुकसान", "लूटे",
})  # fmt: skip

# --- numbers in words -----------------------------------------------------------------
NUMBER_WORDS: dict[str, int] = {
    "एक": 1, "दो": 2, "तीन": 3, "चार": 4, "पांच": 5, "छह": 6, "छः": 6, "छ": 6, "सात": 7,
    "आठ": 8, "नौ": 9, "दस": 10, "ग्यारह": 11, "बारह": 12, "तेरह": 13, "चौदह": 14,
    "पंद्रह": 15, "पन्द्रह": 15, "सोलह": 16, "सत्रह": 17, "अठारह": 18, "उन्नीस": 19,
    "बीस": 20, "इक्कीस": 21, "बाईस": 22, "तेईस": 23, "चौबीस": 24, "पच्चीस": 25,
    "छब्बीस": 26, "सत्ताईस": 27, "अट्ठाईस": 28, "उनतीस": 29, "तीस": 30, "इकतीस": 31,
    "बत्तीस": 32, "तैंतीस": 33, "चौंतीस": 34, "पैंतीस": 35, "छत्तीस": 36, "सैंतीस": 37,
    "अड़तीस": 38, "उनतालीस": 39, "चालीस": 40, "इकतालीस": 41, "बयालीस": 42,
    "तैंतालीस": 43, "चवालीस": 44, "पैंतालीस": 45, "छियालीस": 46, "सैंतालीस": 47,
    "अड़तालीस": 48, "उनचास": 49, "पचास": 50, "इक्यावन": 51, "बावन": 52, "तिरेपन": 53,
    "चौवन": 54, "पचपन": 55, "छप्पन": 56, "सत्तावन": 57, "अट्ठावन": 58, "उनसठ": 59,
    "साठ": 60, "इकसठ": 61, "बासठ": 62, "तिरेसठ": 63, "चौंसठ": 64, "पैंसठ": 65,
    "छियासठ": 66, "सड़सठ": 67, "अड़सठ": 68, "उनहत्तर": 69, "सत्तर": 70, "इकहत्तर": 71,
    "बहत्तर": 72, "तिहत्तर": 73, "चौहत्तर": 74, "पचहत्तर": 75, "छिहत्तर": 76,
    "सतहत्तर": 77, "अठहत्तर": 78, "उन्यासी": 79, "अस्सी": 80, "इक्यासी": 81, "बयासी": 82,
    "तिरासी": 83, "चौरासी": 84, "पचासी": 85, "छियासी": 86, "सत्तासी": 87, "अट्ठासी": 88,
    "नवासी": 89, "नब्बे": 90, "इक्यानबे": 91, "बानबे": 92, "तिरानबे": 93, "चौरानबे": 94,
    "पंचानबे": 95, "छियानबे": 96, "सत्तानबे": 97, "अट्ठानबे": 98, "निन्यानबे": 99,
    "ek": 1, "do": 2, "teen": 3, "tin": 3, "char": 4, "chaar": 4, "paanch": 5,
    "panch": 5, "paach": 5, "pach": 5, "chhe": 6, "chhah": 6, "che": 6, "chah": 6,
    "saat": 7, "sat": 7, "aath": 8, "aat": 8, "nau": 9, "das": 10, "dus": 10,
    "gyarah": 11, "gyara": 11, "barah": 12, "bara": 12, "terah": 13, "tera": 13,
    "chaudah": 14, "chauda": 14, "pandrah": 15, "pandra": 15, "solah": 16, "sola": 16,
    "satrah": 17, "satra": 17, "atharah": 18, "athara": 18, "unnis": 19, "unees": 19,
    "bees": 20, "bis": 20, "pachees": 25, "pachis": 25, "pacchis": 25, "tees": 30,
    "tis": 30, "chalees": 40, "chalis": 40, "pachaas": 50, "pachas": 50, "pachass": 50,
    "saath": 60, "sath": 60, "sattar": 70, "pachattar": 75, "pachhattar": 75,
    "assi": 80, "nabbe": 90,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
# English tens combine with a following unit word ("twenty five"); Hindi words do not.
ENGLISH_TENS = frozenset({"twenty", "thirty", "forty", "fifty", "sixty", "seventy",
                          "eighty", "ninety"})  # fmt: skip
# Halves and quarters said as one word before a unit: "डेढ़ लाख", "dhai lakh".
FRACTION_WORDS: dict[str, Decimal] = {
    "डेढ़": Decimal("1.5"), "ढाई": Decimal("2.5"), "dedh": Decimal("1.5"),
    "dhed": Decimal("1.5"), "der": Decimal("1.5"), "derh": Decimal("1.5"),
    "dhai": Decimal("2.5"), "dhaai": Decimal("2.5"), "adhai": Decimal("2.5"),
    "half": Decimal("0.5"), "आधा": Decimal("0.5"), "aadha": Decimal("0.5"),
    "adha": Decimal("0.5"),
}  # fmt: skip
# Words that shift the number after them: "saadhe teen" 3.5, "sava do" 2.25, "paune" -0.25.
FRACTION_MODIFIERS: dict[str, Decimal] = {
    "साढ़े": Decimal("0.5"), "saadhe": Decimal("0.5"), "sadhe": Decimal("0.5"),
    "saade": Decimal("0.5"), "sade": Decimal("0.5"),
    "सवा": Decimal("0.25"), "sava": Decimal("0.25"), "sawa": Decimal("0.25"),
    "पौने": Decimal("-0.25"), "paune": Decimal("-0.25"), "pone": Decimal("-0.25"),
}  # fmt: skip
# Multipliers. Longest spellings are tried first by the amount reader.
AMOUNT_UNITS: dict[str, Decimal] = {
    "billion": Decimal(1_000_000_000), "million": Decimal(1_000_000),
    "crores": Decimal(10_000_000), "crore": Decimal(10_000_000), "karod": Decimal(10_000_000),
    "karor": Decimal(10_000_000), "करोड़": Decimal(10_000_000), "cr": Decimal(10_000_000),
    "lakhs": Decimal(100_000), "lakh": Decimal(100_000), "laakh": Decimal(100_000),
    "lacs": Decimal(100_000), "lac": Decimal(100_000),
    "lkh": Decimal(100_000), "लाख": Decimal(100_000), "thousands": Decimal(1_000),
    "thousand": Decimal(1_000), "हज़ार": Decimal(1_000), "हजार": Decimal(1_000),
    "hazaar": Decimal(1_000), "hazar": Decimal(1_000), "hajar": Decimal(1_000),
    "hajaar": Decimal(1_000), "hazzar": Decimal(1_000), "hzar": Decimal(1_000),
    "hzr": Decimal(1_000), "k": Decimal(1_000), "hundred": Decimal(100),
    "सौ": Decimal(100), "sau": Decimal(100),
}  # fmt: skip
CURRENCY_WORDS = (
    "₹", "rs.", "rs", "inr", "rupees", "rupee", "rupaye", "rupaiye", "rupay", "rupye",
    "rupe", "rupiya", "rupya", "rupaya", "rupiye", "ruppes", "rupes", "रुपये", "रुपए",
    "रुपया", "रुपैया", "रुपे", "रूपये", "रूपए", "रु.", "रु", "रू",
)  # fmt: skip
# A number followed by one of these counts payments, not rupees ("2 baar 5000").
TIMES_WORDS = frozenset({"baar", "bar", "bara", "times", "time", "dafa", "martaba", "बार",
                         "दफा", "दफ़ा"})  # fmt: skip

# --- kinds of fraud -------------------------------------------------------------------
# Everyday words for each category id of the complaint (handlers.answers.CATEGORY_MODES).
# Phrases win over the words inside them ("video call" is sextortion, "call" vishing).
CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "upi": ("upi", "upi fraud", "यूपीआई", "phonepe", "phone pe", "gpay", "g pay",
            "google pay", "paytm", "bhim", "qr", "qr code", "scan", "scanner", "collect request",
            "upi pin", "फोनपे", "गूगल पे", "पेटीएम", "क्यूआर"),
    "card_sim": ("card", "debit card", "credit card", "atm", "atm card", "sim", "sim swap",
                 "sim card", "esim", "e sim", "sim band", "card fraud", "कार्ड", "सिम",
                 "एटीएम", "डेबिट कार्ड", "क्रेडिट कार्ड"),
    "netbanking": ("netbanking", "net banking", "internet banking", "online banking",
                   "mobile banking", "yono", "नेट बैंकिंग", "नेटबैंकिंग", "इंटरनेट बैंकिंग"),
    "wallet": ("wallet", "e wallet", "ewallet", "paytm wallet", "mobikwik", "amazon pay",
               "वॉलेट", "वालेट"),
    "aeps": ("aeps", "aadhaar", "aadhar", "adhar", "aadhaar pay", "fingerprint", "thumb",
             "angutha", "biometric", "आधार", "अंगूठा", "फिंगरप्रिंट"),
    "vishing": ("customer care", "customer care number", "customercare", "helpline number",
                "kyc", "kyc update", "e kyc", "ekyc", "केवाईसी", "bijli bill", "bijli",
                "electricity bill", "light bill", "बिजली बिल", "बिजली", "fake call",
                "phone call", "call", "कॉल", "फोन कॉल", "digital arrest", "डिजिटल अरेस्ट",
                "courier", "parcel", "customs", "bank se call", "bank manager",
                "account block", "pan card update", "reward points", "kbc", "lottery",
                "लॉटरी", "कस्टमर केयर", "फर्जी कॉल"),
    "investment": ("investment", "invest", "trading", "trade", "stock", "stocks",
                   "share market", "shares", "share", "crypto", "bitcoin", "ipo", "forex",
                   "paise double", "double money", "निवेश", "ट्रेडिंग", "शेयर", "शेयर बाजार",
                   "क्रिप्टो"),
    "job": ("job", "naukri", "part time", "part time job", "work from home", "task",
            "online task", "telegram task", "youtube like", "like task", "rating task",
            "review task", "hotel review", "data entry", "नौकरी", "टास्क", "जॉब",
            "पार्ट टाइम"),
    "loan_app": ("loan", "loan app", "instant loan", "loan application", "karz", "karza",
                 "लोन", "लोन ऐप", "कर्ज", "कर्जा"),
    "shopping": ("shopping", "online shopping", "order", "olx", "flipkart", "meesho",
                 "amazon", "purchase", "kharidari", "delivery", "cash on delivery", "cod",
                 "शॉपिंग", "ऑनलाइन शॉपिंग", "खरीदारी", "ऑर्डर", "ओएलएक्स", "सामान"),
    "sextortion": ("sextortion", "blackmail", "blackmailing", "video call", "videocall",
                   "nude", "nude video", "nangi video", "obscene", "viral", "morphed",
                   "ब्लैकमेल", "वीडियो कॉल", "अश्लील", "न्यूड", "गंदी वीडियो"),
}  # fmt: skip
# Words that suggest a category without settling it: read unsure.
CATEGORY_HINTS = frozenset({"call", "कॉल", "order", "ऑर्डर", "card", "कार्ड", "amazon",
                            "share", "trade", "scan", "viral", "delivery", "thumb", "bijli",
                            "बिजली", "sim", "सिम", "kbc", "lottery", "लॉटरी", "courier",
                            "parcel"})  # fmt: skip
