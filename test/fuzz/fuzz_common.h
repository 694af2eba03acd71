/* test/fuzz/fuzz_common.h — what the fuzz targets and the seed generator
 * share: a deterministic random source, the record framing that splits one
 * fuzz input into a sequence of packets with time steps, fake hosts for a
 * PPP engine, an access concentrator and a PPPoE client, and the fixed
 * configurations every target uses (so that seeds written by fuzz_seedgen
 * replay exactly in the targets).
 *
 * Test code: globals are allowed here (libFuzzer's entry point has no
 * context), nothing here is linked into uppp itself. */
#ifndef UPPP_TEST_FUZZ_COMMON_H
#define UPPP_TEST_FUZZ_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/ac.h"
#include "proto/dial.h"
#include "proto/ppp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts with a message: an invariant of the code under test was broken. */
#define FUZZ_CHECK(cond)                                                               \
	do {                                                                           \
		if (!(cond))                                                           \
			fuzz_fail(__FILE__, __LINE__, #cond);                          \
	} while (0)
__attribute__((noreturn)) void fuzz_fail(const char *file, int line, const char *what);

/* ---- deterministic randomness (xorshift64*) ---- */

#define FUZZ_SEED_SERVER 0x5e12fe12u
#define FUZZ_SEED_CLIENT 0xc11e47u
struct fuzz_rng {
	uint64_t s;
};
void fuzz_rng_init(struct fuzz_rng *r, uint64_t seed);
void fuzz_rng_fill(struct fuzz_rng *r, void *buf, size_t len);

/* ---- records: one input = [mode byte] then records ----
 * A record is ctl (1 byte), length (2 bytes, big-endian), then that many
 * bytes (fewer if the input ends first). ctl & FUZZ_CTL_TIME is a time step
 * taken before the record is delivered (fuzz_step_ms); the other bits mean
 * what each target says. */
#define FUZZ_CTL_TIME 0x1f
#define FUZZ_CTL_FLAG1 0x20
#define FUZZ_CTL_FLAG2 0x40
#define FUZZ_CTL_FLAG3 0x80

struct fuzz_input {
	const uint8_t *p;
	size_t len;
};
bool fuzz_next_record(struct fuzz_input *in, uint8_t *ctl, const uint8_t **data, size_t *len);
/* Time step of a ctl byte: 0..15 → 0..150 ms in 10 ms steps; 16..31 → 2..32 s. */
uint64_t fuzz_step_ms(uint8_t ctl);
/* The largest step ≤ delta_ms, as ctl time bits (for the generator). */
uint8_t fuzz_ctl_for_delta(uint64_t delta_ms);
/* Appends one record to out[*used..cap); returns false when it does not fit. */
bool fuzz_put_record(uint8_t *out, size_t cap, size_t *used, uint8_t ctl, const uint8_t *data,
		     size_t len);

/* Log sink for every fake host: formats the line (so that bad format
 * arguments are caught by the sanitizers) and prints it when
 * UPPP_FUZZ_VERBOSE is set. */
void fuzz_vlog(const char *who, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* A logger emit (ud = a "who" string): the engines format every level under
 * fuzzing, printed only with UPPP_FUZZ_VERBOSE. */
void fuzz_emit(void *ud, enum uppp_log_level level, const char *line);
extern const struct uppp_logger fuzz_logger;   /* every level, to fuzz_emit, who = "ppp" */

/* ---- the fixed world ---- */

#define FUZZ_USER "alice"
#define FUZZ_PASSWORD "wonderland"
#define FUZZ_SERVER_NAME "uppp"
#define FUZZ_LOCAL_IP 0x0a000001u
#define FUZZ_PEER_IP 0x0a000002u
#define FUZZ_T0 1000000u            /* virtual clock at the start of every run (ms) */
extern const uint8_t fuzz_ac_mac[6];
extern const uint8_t fuzz_client_mac[6];

/* Secret lookup used by every server-side fake: FUZZ_USER has FUZZ_PASSWORD. */
int fuzz_get_secret(const char *peer, uint8_t *secret, size_t cap, size_t *len);
/* PPP configuration of the server or client side with auth protocol auth. */
void fuzz_ppp_config(struct uppp_ppp_config *cfg, bool server, enum uppp_auth_method auth);

/* ---- one PPP engine with a fake host ---- */

#define FUZZ_PKT_MAX 1600
struct fuzz_ppp_host {
	struct uppp_ppp ppp;
	struct uppp_ppp_config cfg;
	struct fuzz_rng rng;
	struct fuzz_pair *pair;       /* set when wired to a partner */
	int side;                     /* 0 server, 1 client */
	unsigned ups, downs;
	enum uppp_cause cause;
	struct uppp_ppp_link link;
	uint64_t sent;
};
/* Initialises and opens (LCP starts) at now. */
void fuzz_ppp_host_start(struct fuzz_ppp_host *h, bool server, enum uppp_auth_method auth, uint64_t now);
/* Runs the engine's timers up to `until` in deadline order. */
void fuzz_ppp_host_run_timers(struct fuzz_ppp_host *h, uint64_t *now, uint64_t until);

/* Two engines, server (h[0]) and client (h[1]), wired through a packet queue. */
#define FUZZ_PAIR_QUEUE 64
struct fuzz_pair_pkt {
	int to;
	uint16_t proto;
	size_t len;
	uint8_t info[FUZZ_PKT_MAX];
};
struct fuzz_pair {
	struct fuzz_ppp_host h[2];
	struct fuzz_pair_pkt q[FUZZ_PAIR_QUEUE];
	size_t q_head, q_len;
	uint64_t now;
	/* Called for every packet delivered to h[to] (the generator records them). */
	void (*tap)(void *ctx, int to, uint16_t proto, const uint8_t *info, size_t len);
	void *tap_ctx;
};
void fuzz_pair_start(struct fuzz_pair *p, enum uppp_auth_method auth);
/* Delivers queued packets until the queue is empty or stop(p) is true. */
void fuzz_pair_run(struct fuzz_pair *p, bool (*stop)(const struct fuzz_pair *p));

/* ---- an access concentrator with a fake host ---- */

#define FUZZ_MACS 4
struct fuzz_ac_host {
	struct uppp_ac_config cfg;
	struct uppp_ac *ac;
	struct fuzz_rng rng;
	uint64_t now;
	struct {                     /* per client MAC: the last cookie and session id we sent */
		bool used;
		uint8_t mac[6];
		uint8_t cookie[64];
		size_t cookie_len;
		uint16_t session_id;
	} macs[FUZZ_MACS];
	struct uppp_ac_session *up_sess;  /* the last session that came up (for IP from the host) */
	unsigned ups, downs, leased, released;
	size_t listed;               /* sessions seen by uppp_ac_sessions() */
	/* Optional: every frame the AC sends (the generator forwards them). */
	void (*tap)(void *ctx, const uint8_t *frame, size_t len);
	void *tap_ctx;
};
/* mode bits 0-1: auth (none, PAP, CHAP, MS-CHAPv2); bit 2: one session per MAC. */
void fuzz_ac_host_start(struct fuzz_ac_host *h, uint8_t mode);
void fuzz_ac_host_run_timers(struct fuzz_ac_host *h, uint64_t until);
/* Rewrites a PADR's AC-Cookie with the one we gave that MAC (when the
 * lengths match), so that mutated PADRs still reach the session stage. */
void fuzz_ac_fix_cookie(const struct fuzz_ac_host *h, uint8_t *frame, size_t len);
/* Rewrites the session id of a session frame or PADT with the one we gave
 * the frame's source MAC. */
void fuzz_ac_fix_session_id(const struct fuzz_ac_host *h, uint8_t *frame, size_t len);
/* Lists the sessions, shuts down, frees, and checks that addresses and
 * timers were all given back. */
void fuzz_ac_host_finish(struct fuzz_ac_host *h);

/* ---- a PPPoE client with a fake host ---- */

struct fuzz_dial_host {
	struct uppp_dial_config cfg;
	struct uppp_dial *d;
	struct fuzz_rng rng;
	uint64_t now;
	unsigned ups, downs;
	void (*tap)(void *ctx, const uint8_t *frame, size_t len);
	void *tap_ctx;
};
/* mode bits 0-1: the auth the world's server uses (the client accepts any). */
void fuzz_dial_host_start(struct fuzz_dial_host *h, uint8_t mode);
void fuzz_dial_host_run_timers(struct fuzz_dial_host *h, uint64_t until);
void fuzz_dial_host_finish(struct fuzz_dial_host *h);

enum uppp_auth_method fuzz_auth_of_mode(uint8_t mode);

#endif
