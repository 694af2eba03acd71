/* auth/mschapv2.h — the MS-CHAPv2 hash functions (RFC 2759 §8), exported for
 * tests and for anyone who needs them outside a PPP link (RADIUS later).
 *
 * Passwords and user names are bytes as they come from chap-secrets or the
 * command line (UTF-8). The password is converted to UTF-16LE as RFC 2759
 * wants (see uppp_mschapv2_nt_password_hash). User names are hashed without
 * any "DOMAIN\" prefix (RFC 2759 §8.2). Pure: no syscalls, no allocation. */
#ifndef UPPP_AUTH_MSCHAPV2_H
#define UPPP_AUTH_MSCHAPV2_H

#include <stddef.h>
#include <stdint.h>

#define UPPP_MSCHAPV2_CHALLENGE_SIZE 16    /* Authenticator- and Peer-Challenge */
#define UPPP_MSCHAPV2_NT_RESPONSE_SIZE 24
#define UPPP_MSCHAPV2_HASH_SIZE 16         /* NtPasswordHash, PasswordHashHash */
#define UPPP_MSCHAPV2_AUTH_RESPONSE_LEN 42 /* "S=" + 40 uppercase hex digits */
#define UPPP_MSCHAPV2_PASSWORD_MAX 256     /* RFC 2759: 0 to 256 Unicode characters */

/* NtPasswordHash (RFC 2759 §8.3): MD4 of the password in UTF-16LE. The
 * password is decoded as UTF-8 (code points above U+FFFF become surrogate
 * pairs); a byte that is not part of valid UTF-8 is taken as the Latin-1
 * character of that value. Returns 0, or -E2BIG when the password has more
 * than 256 UTF-16 units (hash then zeroed). */
int uppp_mschapv2_nt_password_hash(const uint8_t *password, size_t len,
				   uint8_t hash[UPPP_MSCHAPV2_HASH_SIZE]);
/* HashNtPasswordHash (RFC 2759 §8.4): MD4 of the hash. */
void uppp_mschapv2_hash_hash(const uint8_t hash[UPPP_MSCHAPV2_HASH_SIZE],
			     uint8_t out[UPPP_MSCHAPV2_HASH_SIZE]);
/* ChallengeHash (RFC 2759 §8.2): first 8 bytes of SHA-1(PeerChallenge ||
 * AuthenticatorChallenge || user name without domain). */
void uppp_mschapv2_challenge_hash(const uint8_t peer_challenge[UPPP_MSCHAPV2_CHALLENGE_SIZE],
				  const uint8_t auth_challenge[UPPP_MSCHAPV2_CHALLENGE_SIZE],
				  const uint8_t *user, size_t user_len, uint8_t out[8]);
/* GenerateNTResponse (RFC 2759 §8.1). Returns 0 or -E2BIG (see above). */
int uppp_mschapv2_nt_response(const uint8_t auth_challenge[UPPP_MSCHAPV2_CHALLENGE_SIZE],
			      const uint8_t peer_challenge[UPPP_MSCHAPV2_CHALLENGE_SIZE],
			      const uint8_t *user, size_t user_len,
			      const uint8_t *password, size_t password_len,
			      uint8_t out[UPPP_MSCHAPV2_NT_RESPONSE_SIZE]);
/* GenerateAuthenticatorResponse (RFC 2759 §8.7): "S=" and 40 uppercase hex
 * digits, NUL-terminated. Returns 0 or -E2BIG (out is then ""). */
int uppp_mschapv2_authenticator_response(const uint8_t *password, size_t password_len,
					 const uint8_t nt_response[UPPP_MSCHAPV2_NT_RESPONSE_SIZE],
					 const uint8_t peer_challenge[UPPP_MSCHAPV2_CHALLENGE_SIZE],
					 const uint8_t auth_challenge[UPPP_MSCHAPV2_CHALLENGE_SIZE],
					 const uint8_t *user, size_t user_len,
					 char out[UPPP_MSCHAPV2_AUTH_RESPONSE_LEN + 1]);

#endif
