/* auth/mschapv2_crypto.c — the MS-CHAPv2 hash functions (RFC 2759 §8) behind
 * auth/mschapv2.h, and the small text helpers mschapv2.c shares with them. */
#include "auth/auth_impl.h"
#include "auth/mschapv2.h"

#include <errno.h>
#include <string.h>

#include <nettle/des.h>
#include <nettle/md4.h>
#include <nettle/sha1.h>

_Static_assert(MD4_DIGEST_SIZE == UPPP_MSCHAPV2_HASH_SIZE, "MD4 digest is 16 bytes");
_Static_assert(SHA1_DIGEST_SIZE == 20, "SHA-1 digest is 20 bytes");

/* RFC 2759 §8.7: the two constants of GenerateAuthenticatorResponse. */
static const char ms_magic1[] = "Magic server to client signing constant";
static const char ms_magic2[] = "Pad to make it do more than one iteration";

const uint8_t *uppp_mschapv2_strip_domain(const uint8_t *user, size_t len, size_t *out_len)
{
	const uint8_t *u = user;
	size_t n = len;

	for (size_t i = 0; i < len; i++) {
		if (user[i] == '\\') {
			u = user + i + 1;
			n = len - i - 1;
		}
	}
	*out_len = n;
	return u;
}

/* One code point from UTF-8; returns the bytes it used (>= 1). A byte that
 * does not start a valid, shortest-form sequence is taken as Latin-1. */
static size_t ms_utf8_decode(const uint8_t *s, size_t len, uint32_t *cp)
{
	uint8_t b = s[0];
	size_t more;
	uint32_t v, min;

	if (b < 0x80) {
		*cp = b;
		return 1;
	}
	if (b >= 0xc2 && b <= 0xdf) {
		more = 1; v = b & 0x1fu; min = 0x80;
	} else if (b >= 0xe0 && b <= 0xef) {
		more = 2; v = b & 0x0fu; min = 0x800;
	} else if (b >= 0xf0 && b <= 0xf4) {
		more = 3; v = b & 0x07u; min = 0x10000;
	} else {
		goto latin1;
	}
	if (len < more + 1)
		goto latin1;
	for (size_t k = 1; k <= more; k++) {
		if ((s[k] & 0xc0) != 0x80)
			goto latin1;
		v = v << 6 | (s[k] & 0x3fu);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		goto latin1;
	*cp = v;
	return more + 1;
latin1:
	*cp = b;
	return 1;
}

static void ms_put_le16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

int uppp_mschapv2_nt_password_hash(const uint8_t *password, size_t len,
				   uint8_t hash[UPPP_MSCHAPV2_HASH_SIZE])
{
	uint8_t u16[UPPP_MSCHAPV2_PASSWORD_MAX * 2];
	struct md4_ctx ctx;
	size_t units = 0, i = 0;
	int rc = 0;

	while (i < len) {
		uint32_t cp;

		i += ms_utf8_decode(password + i, len - i, &cp);
		if (units + (cp >= 0x10000 ? 2 : 1) > UPPP_MSCHAPV2_PASSWORD_MAX) {
			rc = -E2BIG;
			break;
		}
		if (cp >= 0x10000) {
			cp -= 0x10000;
			ms_put_le16(u16 + 2 * units++, 0xd800 | cp >> 10);
			ms_put_le16(u16 + 2 * units++, 0xdc00 | (cp & 0x3ff));
		} else {
			ms_put_le16(u16 + 2 * units++, cp);
		}
	}
	if (rc == 0) {
		md4_init(&ctx);
		md4_update(&ctx, 2 * units, u16);
		md4_digest(&ctx, UPPP_MSCHAPV2_HASH_SIZE, hash);
		uppp_auth_wipe(&ctx, sizeof(ctx));
	} else {
		memset(hash, 0, UPPP_MSCHAPV2_HASH_SIZE);
	}
	uppp_auth_wipe(u16, sizeof(u16));
	return rc;
}

void uppp_mschapv2_hash_hash(const uint8_t hash[UPPP_MSCHAPV2_HASH_SIZE], uint8_t out[UPPP_MSCHAPV2_HASH_SIZE])
{
	struct md4_ctx ctx;

	md4_init(&ctx);
	md4_update(&ctx, UPPP_MSCHAPV2_HASH_SIZE, hash);
	md4_digest(&ctx, UPPP_MSCHAPV2_HASH_SIZE, out);
	uppp_auth_wipe(&ctx, sizeof(ctx));
}

void uppp_mschapv2_challenge_hash(const uint8_t peer_challenge[UPPP_MSCHAPV2_CHALLENGE_SIZE],
				  const uint8_t auth_challenge[UPPP_MSCHAPV2_CHALLENGE_SIZE],
				  const uint8_t *user, size_t user_len, uint8_t out[8])
{
	struct sha1_ctx ctx;
	size_t n;
	const uint8_t *u = uppp_mschapv2_strip_domain(user, user_len, &n);

	sha1_init(&ctx);
	sha1_update(&ctx, UPPP_MSCHAPV2_CHALLENGE_SIZE, peer_challenge);
	sha1_update(&ctx, UPPP_MSCHAPV2_CHALLENGE_SIZE, auth_challenge);
	sha1_update(&ctx, n, u);
	sha1_digest(&ctx, 8, out);  /* nettle truncates: the first 8 bytes */
}

/* RFC 2759 §8.6 DesEncrypt: the 56 key bits of key7 spread 7 to a byte
 * (bits 7..1; bit 0 is parity, which nettle's des_set_key ignores). */
static void ms_des(const uint8_t clear[8], const uint8_t key7[7], uint8_t out[8])
{
	uint8_t key[DES_KEY_SIZE];
	struct des_ctx ctx;

	key[0] = key7[0] & 0xfe;
	for (int i = 1; i < 7; i++)
		key[i] = (uint8_t)(((key7[i - 1] << (8 - i)) | (key7[i] >> i)) & 0xfe);
	key[7] = (uint8_t)(key7[6] << 1);
	/* A weak DES key can come out of a password hash; it is still the key
	 * (des_set_key returns 0 for it but sets it up all the same). */
	(void)des_set_key(&ctx, key);
	des_encrypt(&ctx, DES_BLOCK_SIZE, out, clear);
	uppp_auth_wipe(&ctx, sizeof(ctx));
	uppp_auth_wipe(key, sizeof(key));
}

/* RFC 2759 §8.5 ChallengeResponse: three DES blocks keyed by the hash
 * zero-padded to 21 bytes. */
static void ms_challenge_response(const uint8_t challenge[8], const uint8_t hash[UPPP_MSCHAPV2_HASH_SIZE],
				  uint8_t out[UPPP_MSCHAPV2_NT_RESPONSE_SIZE])
{
	uint8_t z[21] = { 0 };

	memcpy(z, hash, UPPP_MSCHAPV2_HASH_SIZE);
	ms_des(challenge, z, out);
	ms_des(challenge, z + 7, out + 8);
	ms_des(challenge, z + 14, out + 16);
	uppp_auth_wipe(z, sizeof(z));
}

int uppp_mschapv2_nt_response(const uint8_t auth_challenge[UPPP_MSCHAPV2_CHALLENGE_SIZE],
			      const uint8_t peer_challenge[UPPP_MSCHAPV2_CHALLENGE_SIZE],
			      const uint8_t *user, size_t user_len,
			      const uint8_t *password, size_t password_len,
			      uint8_t out[UPPP_MSCHAPV2_NT_RESPONSE_SIZE])
{
	uint8_t challenge[8], hash[UPPP_MSCHAPV2_HASH_SIZE];
	int rc;

	uppp_mschapv2_challenge_hash(peer_challenge, auth_challenge, user, user_len, challenge);
	rc = uppp_mschapv2_nt_password_hash(password, password_len, hash);
	if (rc == 0)
		ms_challenge_response(challenge, hash, out);
	else
		memset(out, 0, UPPP_MSCHAPV2_NT_RESPONSE_SIZE);
	uppp_auth_wipe(hash, sizeof(hash));
	return rc;
}

void uppp_mschapv2_hex_upper(const uint8_t *b, size_t n, char *out)
{
	static const char hex[] = "0123456789ABCDEF";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[b[i] >> 4];
		out[2 * i + 1] = hex[b[i] & 15];
	}
	out[2 * n] = '\0';
}

static int ms_hex_digit(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int uppp_mschapv2_unhex(const uint8_t *s, size_t n, uint8_t *out)
{
	for (size_t i = 0; i < n; i++) {
		int hi = ms_hex_digit(s[2 * i]), lo = ms_hex_digit(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

/* The 20-byte digest behind "S=..." (RFC 2759 §8.7). */
static int ms_auth_digest(const uint8_t *password, size_t password_len,
			  const uint8_t nt_response[UPPP_MSCHAPV2_NT_RESPONSE_SIZE],
			  const uint8_t peer_challenge[UPPP_MSCHAPV2_CHALLENGE_SIZE],
			  const uint8_t auth_challenge[UPPP_MSCHAPV2_CHALLENGE_SIZE],
			  const uint8_t *user, size_t user_len, uint8_t digest[SHA1_DIGEST_SIZE])
{
	uint8_t hash[UPPP_MSCHAPV2_HASH_SIZE], hash_hash[UPPP_MSCHAPV2_HASH_SIZE], challenge[8];
	struct sha1_ctx ctx;
	int rc = uppp_mschapv2_nt_password_hash(password, password_len, hash);

	if (rc == 0) {
		uppp_mschapv2_hash_hash(hash, hash_hash);
		sha1_init(&ctx);
		sha1_update(&ctx, sizeof(hash_hash), hash_hash);
		sha1_update(&ctx, UPPP_MSCHAPV2_NT_RESPONSE_SIZE, nt_response);
		sha1_update(&ctx, sizeof(ms_magic1) - 1, (const uint8_t *)ms_magic1);
		sha1_digest(&ctx, SHA1_DIGEST_SIZE, digest);

		uppp_mschapv2_challenge_hash(peer_challenge, auth_challenge, user, user_len, challenge);
		sha1_init(&ctx);
		sha1_update(&ctx, SHA1_DIGEST_SIZE, digest);
		sha1_update(&ctx, sizeof(challenge), challenge);
		sha1_update(&ctx, sizeof(ms_magic2) - 1, (const uint8_t *)ms_magic2);
		sha1_digest(&ctx, SHA1_DIGEST_SIZE, digest);
		uppp_auth_wipe(&ctx, sizeof(ctx));
	} else {
		memset(digest, 0, SHA1_DIGEST_SIZE);
	}
	uppp_auth_wipe(hash, sizeof(hash));
	uppp_auth_wipe(hash_hash, sizeof(hash_hash));
	return rc;
}

int uppp_mschapv2_authenticator_response(const uint8_t *password, size_t password_len,
					 const uint8_t nt_response[UPPP_MSCHAPV2_NT_RESPONSE_SIZE],
					 const uint8_t peer_challenge[UPPP_MSCHAPV2_CHALLENGE_SIZE],
					 const uint8_t auth_challenge[UPPP_MSCHAPV2_CHALLENGE_SIZE],
					 const uint8_t *user, size_t user_len,
					 char out[UPPP_MSCHAPV2_AUTH_RESPONSE_LEN + 1])
{
	uint8_t digest[SHA1_DIGEST_SIZE];
	int rc = ms_auth_digest(password, password_len, nt_response, peer_challenge, auth_challenge,
				user, user_len, digest);

	if (rc == 0) {
		out[0] = 'S';
		out[1] = '=';
		uppp_mschapv2_hex_upper(digest, sizeof(digest), out + 2);
	} else {
		out[0] = '\0';
	}
	return rc;
}
