/*
 * codes.c - the controlled values of the EU micro-credential model: our
 * documented string codes (docs/model.md lists them with their meaning),
 * ISO 3166-1 / 3166-2 / 639-1 checks and ISCED-F 2013 field codes.
 *
 * The ISO tables are embedded (not read from the system's iso-codes files)
 * so that validation gives the same answer on every machine. Source:
 * Debian iso-codes 4.15 (ISO 3166-1: 249 codes; ISO 639-1: 184 codes).
 */
#include <stdio.h>
#include <string.h>

#include "model/model.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Annex I "form of participation in the learning activity". */
static const char *const participation[] = {"online", "onsite", "blended", "volunteering", "work-experience"};
/* Annex I "type of assessment". */
static const char *const assessment[] = {"written-exam", "oral-exam",  "online-test", "practical", "project",
                                         "portfolio",    "presentation", "assignment", "other"};
/* Annex I "type of quality assurance used to underpin the micro-credential". */
static const char *const qa[] = {"internal", "external-programme", "external-institutional", "iso-17024",
                                 "iso-9001", "other"};
/* Annex I optional "supervision and identity verification during assessment",
 * split in its two independent halves. */
static const char *const supervision[] = {"supervised-onsite", "supervised-online", "unsupervised"};
static const char *const idverif[] = {"onsite", "online", "none"};
/* QF-EHEA cycles (short cycle within or linked to the first cycle, then the
 * three Bologna cycles). */
static const char *const qfehea[] = {"short", "first", "second", "third"};
/* Issuer identifier schemes. */
static const char *const idscheme[] = {"erasmus", "national", "vat", "schac", "other"};
/* OB3 IdentifierEntry.identifierType for each scheme, same order. OB3 has
 * no value for these, so they use its "ext:" extension pattern; "other" is
 * OB3's generic "identifier". */
static const char *const idscheme_ob[] = {"ext:erasmusCode", "ext:nationalRegistration", "ext:vatNumber",
                                          "ext:schacHomeOrganization", "identifier"};

const mc__vocab mc__v_participation = {"form of participation", participation, COUNT(participation)};
const mc__vocab mc__v_assessment = {"type of assessment", assessment, COUNT(assessment)};
const mc__vocab mc__v_qa = {"type of quality assurance", qa, COUNT(qa)};
const mc__vocab mc__v_supervision = {"supervision during assessment", supervision, COUNT(supervision)};
const mc__vocab mc__v_idverif = {"identity verification during assessment", idverif, COUNT(idverif)};
const mc__vocab mc__v_qfehea = {"QF-EHEA cycle", qfehea, COUNT(qfehea)};
const mc__vocab mc__v_idscheme = {"identifier scheme", idscheme, COUNT(idscheme)};

int mc__vocab_find(const mc__vocab *v, const char *s)
{
	for (size_t i = 0; s && i < v->n; i++)
		if (strcmp(v->codes[i], s) == 0)
			return (int)i + 1;
	return 0;
}

const char *mc__vocab_code(const mc__vocab *v, int idx)
{
	return idx >= 1 && (size_t)idx <= v->n ? v->codes[idx - 1] : NULL;
}

void mc__vocab_list(const mc__vocab *v, char *out, size_t cap)
{
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < v->n && used + 1 < cap; i++) {
		int k = snprintf(out + used, cap - used, "%s\"%s\"", i ? ", " : "", v->codes[i]);
		if (k < 0)
			break;
		used += (size_t)k;
	}
}

const char *mc__idscheme_obtype(int scheme)
{
	return scheme >= 1 && (size_t)scheme <= COUNT(idscheme_ob) ? idscheme_ob[scheme - 1] : NULL;
}

int mc__idscheme_from_obtype(const char *t)
{
	for (size_t i = 0; t && i < COUNT(idscheme_ob); i++)
		if (strcmp(idscheme_ob[i], t) == 0)
			return (int)i + 1;
	return 0;
}

/* ISO 3166-1 alpha-2, all 249 officially assigned codes, sorted. */
static const char countries[] = "ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBE"
                                "BFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZCACCCD"
                                "CFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZDEDJDKDM"
                                "DODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGF"
                                "GGGHGIGLGMGNGPGQGRGSGTGUGWGYHKHMHNHRHTHU"
                                "IDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKN"
                                "KPKRKWKYKZLALBLCLILKLRLSLTLULVLYMAMCMDME"
                                "MFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNA"
                                "NCNENFNGNINLNONPNRNUNZOMPAPEPFPGPHPKPLPM"
                                "PNPRPSPTPWPYQARERORSRURWSASBSCSDSESGSHSI"
                                "SJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTK"
                                "TLTMTNTOTRTTTVTWTZUAUGUMUSUYUZVAVCVEVGVI"
                                "VNVUWFWSYEYTZAZMZW";

/* ISO 639-1, all 184 codes, sorted. */
static const char languages[] = "aaabaeafakamanarasavayazbabebgbhbibmbnbobrbscacechcocrcscucv"
                                "cydadedvdzeeeleneoeseteufafffifjfofrfygagdglgngugvhahehihohr"
                                "hthuhyhziaidieigiiikioisitiujajvkakgkikjkkklkmknkokrkskukvkw"
                                "kylalblglilnloltlulvmgmhmimkmlmnmrmsmtmynanbndnengnlnnnonrnv"
                                "nyocojomorospapiplpsptqurmrnrorurwsascsdsesgsiskslsmsnsosqsr"
                                "ssstsusvswtatetgthtitktltntotrtstttwtyugukuruzvevivowawoxhyi"
                                "yozazhzu";

/* Binary search of a two-letter code in a sorted packed table. */
static bool in_pairs(const char *table, size_t len, const char *code)
{
	size_t lo = 0, hi = len / 2;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strncmp(table + 2 * mid, code, 2);
		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

bool mc__country_valid(const char *cc)
{
	return cc && is_upper(cc[0]) && is_upper(cc[1]) && cc[2] == '\0' &&
	       in_pairs(countries, sizeof countries - 1, cc);
}

bool mc__region_valid(const char *region, const char *cc)
{
	/* ISO 3166-2: country code, hyphen, 1-3 letters or digits ("AT-7",
	 * "DE-BY", "FR-75C"). The subdivision list itself changes yearly, so
	 * only the shape and the country are checked. */
	if (!region || region[0] == '\0' || region[1] == '\0' || region[2] != '-')
		return false;
	/* without a usable country (reported on its own) the region's own
	 * country part must at least be a country */
	char own[3] = {region[0], region[1], '\0'};
	if (!mc__country_valid(own) || (cc && mc__country_valid(cc) && strncmp(region, cc, 2) != 0))
		return false;
	size_t n = strlen(region + 3);
	if (n < 1 || n > 3)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_upper(region[3 + i]) && !is_digit(region[3 + i]))
			return false;
	return true;
}

bool mc__lang_valid(const char *tag)
{
	if (!tag || !is_lower(tag[0]) || !is_lower(tag[1]) || !in_pairs(languages, sizeof languages - 1, tag))
		return false;
	if (tag[2] == '\0')
		return true;
	/* "de-AT": a region subtag, the form OB3's JSON schema allows for maps */
	char cc[3] = {tag[3], tag[3] ? tag[4] : '\0', '\0'};
	return tag[2] == '-' && tag[3] && tag[4] && tag[5] == '\0' && mc__country_valid(cc);
}

/* ISCED-F 2013 broad fields (the first two digits of a detailed field). */
static const struct {
	const char *code;
	const char *name;
} isced_broad[] = {
	{"00", "Generic programmes and qualifications"},
	{"01", "Education"},
	{"02", "Arts and humanities"},
	{"03", "Social sciences, journalism and information"},
	{"04", "Business, administration and law"},
	{"05", "Natural sciences, mathematics and statistics"},
	{"06", "Information and Communication Technologies (ICTs)"},
	{"07", "Engineering, manufacturing and construction"},
	{"08", "Agriculture, forestry, fisheries and veterinary"},
	{"09", "Health and welfare"},
	{"10", "Services"},
	{"99", "Field unknown"},
};

const char *mc__iscedf_broad_name(const char *code)
{
	for (size_t i = 0; code && i < COUNT(isced_broad); i++)
		if (strncmp(code, isced_broad[i].code, 2) == 0)
			return isced_broad[i].name;
	return NULL;
}

bool mc__iscedf_valid(const char *code)
{
	if (!code || strlen(code) != 4)
		return false;
	for (int i = 0; i < 4; i++)
		if (!is_digit(code[i]))
			return false;
	return mc__iscedf_broad_name(code) != NULL;
}

bool mc__iri_valid(const char *s)
{
	/* RFC 3987 scheme, then at least one character; characters that can
	 * never appear in an IRI are refused, because JSON-LD processors drop
	 * or mangle such values and the signed graph would then differ. */
	if (!s || (!is_lower(s[0]) && !is_upper(s[0])))
		return false;
	const char *p = s + 1;
	while (is_lower(*p) || is_upper(*p) || is_digit(*p) || *p == '+' || *p == '-' || *p == '.')
		p++;
	if (*p != ':' || p[1] == '\0')
		return false;
	for (p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		/* switch, not strchr: this runs for every character of every IRI
		 * in every verified credential */
		if (c <= 0x20 || c == 0x7f)
			return false;
		switch (c) {
		case '<': case '>': case '"': case '{': case '}': case '|': case '\\': case '^': case '`':
			return false;
		default:
			break;
		}
	}
	return true;
}

bool mc__email_valid(const char *s)
{
	const char *at = s ? strchr(s, '@') : NULL;
	if (!at || at == s || at[1] == '\0' || strchr(at + 1, '@') || !strchr(at + 1, '.'))
		return false;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= 0x20 || c == 0x7f || strchr("<>\"(),;:[]\\", c))
			return false;
	}
	return true;
}
