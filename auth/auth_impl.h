/* auth/auth_impl.h — shared by auth.c, pap.c, chap.c and mschapv2.c; not for other layers. */
#ifndef UPPP_AUTH_AUTH_IMPL_H
#define UPPP_AUTH_AUTH_IMPL_H

#include "auth/auth.h"
#include "core/buf.h"
#include "core/escape.h"

/* a->state */
enum auth_state {
	AUTH_ST_INITIAL = 0,  /* uppp_auth_start() not called yet */
	AUTH_ST_WAITING,      /* started, nothing decided */
	AUTH_ST_SUCCEEDED,
	AUTH_ST_FAILED,
};

#define AUTH_DEFAULT_RESTART_MS 3000
#define AUTH_DEFAULT_MAX_TRIES 10
#define AUTH_DEFAULT_TIMEOUT_MS 30000
#define AUTH_NO_DEADLINE UINT64_MAX

/* Room for one secret as returned by ops->get_secret (max 255 + spare). */
#define AUTH_SECRET_CAP 256

#define auth_log(a, level, layer, ...)                                            \
	do {                                                                      \
		if ((a)->ops && (a)->ops->log)                                    \
			(a)->ops->log((a)->ctx, (level), (layer), __VA_ARGS__);  \
	} while (0)

void auth_send(struct uppp_auth *a, uint16_t protocol, const uint8_t *info, size_t len);
/* Random bytes from ops->random; zeros if the host gave none. */
void auth_random(struct uppp_auth *a, void *buf, size_t len);
enum uppp_auth_result auth_result(const struct uppp_auth *a);
enum uppp_auth_result auth_succeed(struct uppp_auth *a, const uint8_t *peer_name, size_t n);
enum uppp_auth_result auth_fail(struct uppp_auth *a, enum uppp_cause cause);
/* Drops a packet: counts it and logs why at debug level. */
enum uppp_auth_result auth_drop(struct uppp_auth *a, const char *layer, const char *why);

/* Equal in time that depends only on n. */
bool auth_ct_equal(const uint8_t *x, const uint8_t *y, size_t n);
/* Zeroes memory holding a secret in a way the compiler keeps. */
void auth_wipe(void *p, size_t n);
/* Splits the 4-byte header (code, id, length) off a PAP/CHAP packet. The
 * body reader covers exactly length - 4 bytes (padding beyond Length is
 * ignored). Returns 0 or -EMSGSIZE (length < 4 or past the end). */
int auth_parse_header(const uint8_t *info, size_t len, uint8_t *code, uint8_t *id,
		      struct uppp_reader *body);
bool auth_has_nul(const uint8_t *s, size_t n);

enum uppp_auth_result pap_start(struct uppp_auth *a, uint64_t now);
enum uppp_auth_result pap_input(struct uppp_auth *a, const uint8_t *info, size_t len, uint64_t now);
enum uppp_auth_result pap_timer(struct uppp_auth *a, uint64_t now);

enum uppp_auth_result chap_start(struct uppp_auth *a, uint64_t now);
enum uppp_auth_result chap_input(struct uppp_auth *a, const uint8_t *info, size_t len, uint64_t now);
enum uppp_auth_result chap_timer(struct uppp_auth *a, uint64_t now);

enum uppp_auth_result mschapv2_start(struct uppp_auth *a, uint64_t now);
enum uppp_auth_result mschapv2_input(struct uppp_auth *a, const uint8_t *info, size_t len, uint64_t now);
enum uppp_auth_result mschapv2_timer(struct uppp_auth *a, uint64_t now);

#endif
