/* runtime/pap_login.h — pppd's `login` option: a PAP password must also be the
 * password of a system account (getpwnam + the shadow hash, checked with
 * crypt(3) from libcrypt).
 *
 * The account database and crypt are reached through a small ops table so
 * that tests can run without real accounts; uppp_pap_login_system is the
 * real one (it needs root to read /etc/shadow). */
#ifndef UPPP_CORE_PAP_LOGIN_H
#define UPPP_CORE_PAP_LOGIN_H

#include <stddef.h>
#include <stdint.h>

struct uppp_pap_login_ops {
	/* The account's password hash into hash (NUL-terminated). Returns 0;
	 * -ENOENT: no such account; -EACCES: the hash cannot be read (not
	 * root); -EKEYEXPIRED: the account has expired. */
	int (*get_hash)(void *ctx, const char *user, char *hash, size_t cap);
	/* crypt(3): hash pw with the method and salt in setting, into out.
	 * Returns 0 or -errno. */
	int (*crypt)(void *ctx, const char *pw, const char *setting, char *out, size_t cap);
	void *ctx;
};

extern const struct uppp_pap_login_ops uppp_pap_login_system;

/* Checks user / pw (len bytes, may hold any byte) against the account
 * database. Returns 0 when the password is the account's; otherwise -ENOENT
 * (no such account), -EACCES (wrong password, locked account, no password
 * set), -EKEYEXPIRED, or another -errno (database unreadable), with a
 * sentence for the log in why (user escaped, password never included).
 * The time taken does not depend on whether the account exists: a missing
 * account still costs one crypt(). */
int uppp_pap_login_check(const struct uppp_pap_login_ops *ops, const char *user, const uint8_t *pw, size_t len,
			 char *why, size_t whycap);

#endif
