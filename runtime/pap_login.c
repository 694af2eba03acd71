/* runtime/pap_login.c — PAP passwords against system accounts (see pap_login.h). */
#include "runtime/pap_login.h"

#include <crypt.h>
#include <errno.h>
#include <pwd.h>
#include <shadow.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/escape.h"

#define HASH_MAX 512

static void wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;
	while (n--)
		*v++ = 0;
}

/* ---- the real database ---- */

static int system_get_hash(void *ctx, const char *user, char *hash, size_t cap)
{
	struct passwd pw, *pwp = NULL;
	char buf[4096];
	(void)ctx;

	int rc = getpwnam_r(user, &pw, buf, sizeof(buf), &pwp);
	if (rc != 0 || !pwp) {
		wipe(buf, sizeof(buf));
		return rc != 0 && rc != ENOENT && rc != ESRCH ? -rc : -ENOENT;
	}
	const char *h = pw.pw_passwd ? pw.pw_passwd : "";
	char sbuf[4096];
	struct spwd sp, *spp = NULL;
	if (!strcmp(h, "x") || !strcmp(h, "*NP*")) {  /* the hash is in the shadow file */
		errno = 0;
		int src = getspnam_r(user, &sp, sbuf, sizeof(sbuf), &spp);
		if (src != 0 || !spp) {
			/* Not readable (not root) or no shadow entry: either way no hash. */
			wipe(buf, sizeof(buf));
			wipe(sbuf, sizeof(sbuf));
			return -EACCES;
		}
		if (spp->sp_expire > 0 && (long)(time(NULL) / 86400) > spp->sp_expire) {
			wipe(buf, sizeof(buf));
			wipe(sbuf, sizeof(sbuf));
			return -EKEYEXPIRED;
		}
		h = spp->sp_pwdp ? spp->sp_pwdp : "";
	}
	int ret = 0;
	if (strlen(h) >= cap)
		ret = -ENAMETOOLONG;
	else
		memcpy(hash, h, strlen(h) + 1);
	wipe(buf, sizeof(buf));
	wipe(sbuf, sizeof(sbuf));
	return ret;
}

static int system_crypt(void *ctx, const char *pw, const char *setting, char *out, size_t cap)
{
	(void)ctx;
	/* struct crypt_data is ~32 KB: heap, once per login attempt (not the packet path). */
	struct crypt_data *cd = calloc(1, sizeof(*cd));
	if (!cd)
		return -ENOMEM;
	const char *h = crypt_r(pw, setting, cd);
	int ret = 0;
	if (!h || h[0] == '*')  /* libxcrypt's failure tokens start with '*' */
		ret = -EINVAL;
	else if (strlen(h) >= cap)
		ret = -ENAMETOOLONG;
	else
		memcpy(out, h, strlen(h) + 1);
	wipe(cd, sizeof(*cd));
	free(cd);
	return ret;
}

const struct uppp_pap_login_ops uppp_pap_login_system = { system_get_hash, system_crypt, NULL };

/* ---- the check ---- */

/* Equal strings, in time that depends only on the lengths. */
static bool ct_streq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	volatile unsigned char diff = (unsigned char)(la != lb);
	for (size_t i = 0; i < la && i < lb; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return diff == 0;
}

/* A stand-in setting for missing accounts, so that they cost a crypt() too. */
#define DUMMY_SETTING "$6$uPPPnoSuchUser$"

int uppp_pap_login_check(const struct uppp_pap_login_ops *ops, const char *user, const uint8_t *pw, size_t len,
			 char *why, size_t whycap)
{
	char esc[UPPP_ESCAPED_MAX];
	char hash[HASH_MAX], calc[HASH_MAX], pwz[256];
	int rc;

	uppp_escape((const uint8_t *)user, strlen(user), esc, sizeof(esc));
	if (len >= sizeof(pwz) || memchr(pw, 0, len)) {
		snprintf(why, whycap, "password for '%s' cannot be a system password (NUL byte or longer than 255)", esc);
		return -EACCES;
	}
	memcpy(pwz, pw, len);
	pwz[len] = '\0';

	hash[0] = '\0';
	rc = ops->get_hash(ops->ctx, user, hash, sizeof(hash));
	bool usable = rc == 0 && hash[0] != '\0' && hash[0] != '!' && hash[0] != '*';
	/* Always one crypt(), whether or not the account exists or is usable. */
	int crc = ops->crypt(ops->ctx, pwz, usable ? hash : DUMMY_SETTING, calc, sizeof(calc));
	bool match = usable && crc == 0 && ct_streq(calc, hash);
	wipe(pwz, sizeof(pwz));
	wipe(calc, sizeof(calc));
	wipe(hash, sizeof(hash));

	if (rc == -ENOENT) {
		snprintf(why, whycap, "user '%s' is not a system account", esc);
		return -ENOENT;
	}
	if (rc == -EKEYEXPIRED) {
		snprintf(why, whycap, "system account '%s' has expired", esc);
		return -EKEYEXPIRED;
	}
	if (rc < 0) {
		snprintf(why, whycap, "cannot read the password of system account '%s': %s%s", esc, strerror(-rc),
			 rc == -EACCES ? " (reading /etc/shadow needs root)" : "");
		return rc;
	}
	if (!usable) {
		snprintf(why, whycap, "system account '%s' is locked or has no password", esc);
		return -EACCES;
	}
	if (crc < 0) {
		snprintf(why, whycap, "crypt() cannot check the password hash of system account '%s': %s", esc,
			 strerror(-crc));
		return crc;
	}
	if (!match) {
		snprintf(why, whycap, "wrong system password for user '%s'", esc);
		return -EACCES;
	}
	why[0] = '\0';
	return 0;
}
