/*
 * time.c - strict ISO 8601 / XML Schema dateTime parsing without the C
 * library's locale- and timezone-dependent functions (gmtime, mktime and
 * strptime are avoided: they depend on TZ and accept sloppy input).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "internal.h"

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

static int days_in_month(int y, int m)
{
	static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

bool mc__time_parse(const char *s, bool allow_date, int64_t *out)
{
	int y, mo, d, h = 0, mi = 0, se = 0;
	size_t n = strlen(s);
	if (n < 10 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
	    !digits(s + 8, 2, &d))
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		return false;
	const char *p = s + 10;
	int64_t off = 0;
	if (*p == '\0') {
		if (!allow_date)
			return false;
	} else {
		if (*p != 'T' || strlen(p) < 9 || !digits(p + 1, 2, &h) || p[3] != ':' || !digits(p + 4, 2, &mi) ||
		    p[6] != ':' || !digits(p + 7, 2, &se))
			return false;
		if (h > 23 || mi > 59 || se > 60)
			return false;
		p += 9;
		if (*p == '.') {
			p++;
			if (*p < '0' || *p > '9')
				return false;
			while (*p >= '0' && *p <= '9')
				p++;
		}
		if (*p == 'Z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			int oh, om;
			if (strlen(p) != 6 || !digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om) || oh > 14 ||
			    om > 59)
				return false;
			off = (int64_t)(oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
			p += 6;
		} else {
			return false; /* a dateTime without zone is ambiguous: refuse */
		}
		if (*p != '\0')
			return false;
	}
	if (se == 60)
		se = 59; /* leap second: clamp, like most VC libraries */
	*out = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se - off;
	return true;
}

void mc__time_format(int64_t t, char out[32])
{
	int64_t days = t / 86400, rem = t % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	int64_t y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) /* outside XML Schema's 4-digit years: clamp */
		y = y < 0 ? 0 : 9999;
	snprintf(out, 32, "%04d-%02u-%02uT%02d:%02d:%02dZ", (int)y, m % 13, d % 32, (int)(rem / 3600) % 24,
	         (int)(rem / 60 % 60), (int)(rem % 60));
}

int64_t mc__time_now(void)
{
	return (int64_t)time(NULL);
}

static void uuid_urn(char out[48], uint8_t u[16], unsigned version)
{
	u[6] = (uint8_t)((u[6] & 0x0f) | (version << 4));
	u[8] = (uint8_t)((u[8] & 0x3f) | 0x80); /* RFC 9562 variant 10 */
	snprintf(out, 48,
	         "urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	         u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
}

void mc__uuid_urn(char out[48])
{
	uint8_t u[16];
	randombytes_buf(u, sizeof u);
	uuid_urn(out, u, 4);
}

void mc__uuid7_urn(char out[48])
{
	uint8_t u[16];
	randombytes_buf(u, sizeof u);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t ms = (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
	for (int i = 5; i >= 0; i--, ms >>= 8) /* unix_ts_ms, 48 bits big-endian */
		u[i] = (uint8_t)ms;
	uuid_urn(out, u, 7);
}

mc_status mc_datetime_parse(const char *s, int64_t *unix_seconds)
{
	if (!s || !unix_seconds)
		return MC_ERR_ARG;
	return mc__time_parse(s, false, unix_seconds) ? MC_OK : MC_ERR_VALUE;
}
