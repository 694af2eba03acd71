/* runtime/host.h — the host glue both runtimes share: one sans-I/O engine
 * (the access concentrator in runtime/server.c, the client engine in
 * runtime/client.c) on one Ethernet interface (netif/eth.h), one interface
 * per session (netif/sessif.h), one event loop (runtime/loop.h) and ONE loop
 * timer that follows the engine's next deadline.
 *
 * What the two runtimes did alike lives here: the logger made from the
 * user's config, opening the loop, the Ethernet and the interface pool,
 * sending a frame, handing received frames to the engine, reading a
 * session's IP packets into the engine, re-arming the one timer after every
 * call into the engine (and telling the engine when it cannot), and a
 * session's interface (made when the network layer is up, kept across a
 * renegotiation that changes nothing, removed). What is each runtime's own
 * (server: pool, secrets, the session table, privilege drop; client: its one
 * session, hang-up) reaches the glue through struct uppp_host_engine.
 *
 * Not thread-safe; one struct uppp_host per runtime object, embedded in it. */
#ifndef UPPP_RUNTIME_HOST_H
#define UPPP_RUNTIME_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "uppp/uppp.h"
#include "runtime/log.h"
#include "runtime/loop.h"
#include "runtime/tap.h"

struct uppp_eth;
struct uppp_tunq;
struct uppp_sessif;
struct uppp_sessif_pool;
struct uppp_sessif_config;
struct uppp_server;   /* uppp.h declares each only in a build that has it */

/* Frames read from the Ethernet, and packets from one session's interface
 * (or from the shared one), per turn in the loop: each source gets at most this many in every
 * iteration, so a flood on one side cannot starve the other. */
#define UPPP_HOST_BATCH 64
struct uppp_client;

/* What the glue calls in the engine it hosts; ctx is the runtime object.
 * Every member is required but if_failed. */
struct uppp_host_engine {
	/* The engine's earliest deadline (loop clock, ms), UPPP_NO_DEADLINE
	 * when none. */
	uint64_t (*next_deadline)(void *ctx);
	/* The one timer fired: run every due timer of the engine. */
	void (*run_timers)(void *ctx, uint64_t now);
	/* One frame from the Ethernet (may be modified; valid during the call). */
	void (*input)(void *ctx, uint8_t *frame, size_t len, uint64_t now);
	/* One IP packet read from the interface of session (the session
	 * pointer given to uppp_host_if_init). The call may end any session. */
	void (*send_ip)(void *ctx, void *session, uint8_t *pkt, size_t len, uint64_t now);
	/* The one timer could not be armed (err, e.g. -ENOMEM): no session
	 * could retransmit or time out any more. Log it and end the sessions
	 * with cause host-error rather than let them hang. */
	void (*timer_failed)(void *ctx, int err, uint64_t now);
	/* Reading the Ethernet failed with err (-ENODEV: the interface is
	 * gone; -ENETDOWN: it went down). The glue re-armed the timer first. */
	void (*eth_failed)(void *ctx, int err, uint64_t now);
	/* Optional. Set: a shared device's routes are sent in one batch per
	 * turn (uppp_host_flush) and the one the kernel refuses is reported
	 * here, after the session went up (err -errno, why in words): end the
	 * session. NULL: uppp_host_if_up waits for each route. */
	void (*if_failed)(void *ctx, void *session, int err, const char *why, uint64_t now);
};

struct uppp_host {
	struct uppp_log log;               /* the user's callback or the FILE writer */
	struct uppp_loop *loop;
	struct uppp_eth *eth;
	struct uppp_sessif_pool *ifpool;
	/* The IP packets of one batch of Ethernet frames, written to the
	 * session interfaces in one go by uppp_host_flush (netif/tunq.h); the
	 * frames' ring slots are held until then. NULL: each written at once. */
	struct uppp_tunq *tunq;
	/* Reading the interfaces in batches (when tunq is batched): up to
	 * UPPP_HOST_BATCH packets in one call into rd[], rd_cap bytes each,
	 * asking for rd_want (twice what the last found), or for one after
	 * a quiet millisecond (rd_last_ms: the loop's clock at the last read). */
	uint8_t *rd_mem;
	uint8_t *rd[UPPP_HOST_BATCH];
	size_t rd_len[UPPP_HOST_BATCH];
	size_t rd_cap;
	unsigned rd_want;
	uint64_t rd_last_ms;
	struct uppp_timer timer;           /* the engine's one deadline */
	/* How the one timer is armed: uppp_timer_arm, set by uppp_host_init.
	 * 0 or -errno, as uppp_timer_arm; a test replaces it to reach the
	 * failure path (test/kernel/test_host.c). */
	int (*arm_timer)(struct uppp_loop *l, struct uppp_timer *t, uint64_t deadline_ms);
	const struct uppp_host_engine *engine;
	void *engine_ctx;
	uint64_t ifs_released;             /* uppp_host_if_release calls so far */
	/* Who sees the frames (runtime/tap.h: capture, trace); empty: one
	 * branch per frame, nothing else. */
	struct uppp_taps taps;
	bool done;                         /* stopped: nothing more is read (uppp_host_finish) */
	int exit_code;                     /* what dispatch returns once done: -errno when the
					    * Ethernet failed, else 0 */
	uint8_t ip_buf[65536];             /* one packet read from an interface */
};

/* Sets up h (zeroed by the caller): the logger from the config's log,
 * log_ud, log_out (NULL: stderr) and log_level, the timer, the engine.
 * Opens nothing; cannot fail. */
void uppp_host_init(struct uppp_host *h, uppp_log_fn *log, void *log_ud, FILE *log_out,
		    enum uppp_log_level log_level, const struct uppp_host_engine *engine, void *engine_ctx);
/* Opens the loop, the Ethernet interface ifname and the pool of session
 * interfaces (netif/sessif.h: per-session devices named after ifcfg->name,
 * NULL: "ppp%d", or one shared device, read here once for every session),
 * logging what failed (event=open-failed, event=init-failed). Returns 0 or
 * -errno; what was opened is closed by uppp_host_close. */
int uppp_host_open(struct uppp_host *h, const char *ifname, const struct uppp_sessif_config *ifcfg);
/* Starts / stops reading the Ethernet in the loop. 0 or -errno / nothing. */
int uppp_host_watch_eth(struct uppp_host *h);
void uppp_host_unwatch_eth(struct uppp_host *h);
/* Closes the pool (every interface still made), the Ethernet, the loop and
 * a log file. Session interfaces should be released before (their owners
 * hold pointers into them). */
void uppp_host_close(struct uppp_host *h);

/* The runtime is done: stops reading the Ethernet. Returns false when it
 * already was (the caller's own ending then ran before). */
bool uppp_host_finish(struct uppp_host *h);
/* The pollable face of a runtime (uppp.h): the loop's epoll fd; the
 * milliseconds to its next timer (-1: none, or done); one non-blocking
 * iteration, returning exit_code once done, -errno when the loop failed,
 * else 0; and the blocking form — wait and dispatch until done — returning
 * the same. */
int uppp_host_fd(const struct uppp_host *h);
int uppp_host_timeout_ms(const struct uppp_host *h);
int uppp_host_dispatch(struct uppp_host *h);
/* One turn in one wait (uppp_server_wait): as poll on the fd + dispatch;
 * and the caller's own fds in the same wait (uppp_server_watch_fd). */
int uppp_host_wait(struct uppp_host *h);
int uppp_host_watch_fd(struct uppp_host *h, int fd, uppp_fd_cb cb, void *ctx);
int uppp_host_unwatch_fd(struct uppp_host *h, int fd);
int uppp_host_run(struct uppp_host *h);

/* The loop's cached time (ms). */
uint64_t uppp_host_now(struct uppp_host *h);
/* One frame to the Ethernet: queued until uppp_host_flush(), which
 * uppp_host_rearm() and uppp_host_cancel_timer() make, so what one call into
 * the engine sent leaves in one batch. A failure is logged
 * (event=send-failed) and the frame dropped, as a wire would. */
void uppp_host_send_frame(struct uppp_host *h, const uint8_t *frame, size_t len);
/* Frame taps (runtime/tap.h): t sees every frame received and sent from
 * now on / no more. */
void uppp_host_tap_add(struct uppp_host *h, struct uppp_tap *t);
void uppp_host_tap_remove(struct uppp_host *h, struct uppp_tap *t);
/* The engines' frame_buffer op: the Ethernet's next queue slot (NULL
 * before the Ethernet is open), so frames are built where they leave from. */
uint8_t *uppp_host_frame_buffer(struct uppp_host *h);
/* What the last calls queued leaves: a shared device's route requests (a
 * refused one goes to engine->if_failed), the IP packets for the session
 * interfaces, the frames. */
void uppp_host_flush(struct uppp_host *h);
/* After every call into the engine: the frames it sent leave, and the one
 * timer follows its deadline. If it cannot be armed, engine->timer_failed. */
void uppp_host_rearm(struct uppp_host *h);
/* Flushes and stops the one timer (the runtime is finishing). */
void uppp_host_cancel_timer(struct uppp_host *h);

/* "INT", "TERM" or "other", for the shutdown and hang-up lines. */
const char *uppp_host_signal_name(int signo);

/* One session's interface. Per-session devices are each read in the loop
 * (one registration each); a shared device once for all (its packets go to
 * the session whose peer address is their destination, netif/sessif.h). */
struct uppp_host_if {
	struct uppp_host *host;
	void *session;                     /* handed back to engine->send_ip */
	struct uppp_sessif *ifc;           /* NULL until the network layer is up */
	uint32_t local_ip, peer_ip;        /* what ifc was made with */
	uint16_t mtu;
};

void uppp_host_if_init(struct uppp_host_if *i, struct uppp_host *h, void *session);
/* The network layer of session sess is up (or up again after a
 * renegotiation, proto/ppp.h): with the same addresses and MTU the interface
 * stays (logged: event=renegotiated changed=none) and 0 is returned;
 * otherwise the old one is released and a new one acquired (in shared
 * mode: the route moves), read in the loop, and 1 is returned (the
 * caller logs its up line). -errno when it cannot be made: err then says
 * why when the interface itself failed ("" when the loop could not watch
 * it), and nothing is left. */
int uppp_host_if_up(struct uppp_host_if *i, uint16_t sess, uint32_t local_ip, uint32_t peer_ip, uint16_t mtu,
		    char *err, size_t errcap);
/* With engine->if_failed, a shared device's route is only queued by
 * uppp_host_if_up; this sends it now (with the rest of the batch) and
 * returns 0 when it is in, else -errno with err saying why, the interface
 * released. 0 without if_failed or per-session. */
int uppp_host_if_settle(struct uppp_host_if *i, char *err, size_t errcap);
/* Removes the interface, if any. Call it before freeing i, also when there
 * is none: a batch of reads stops when any interface was released during
 * its send_ip, as the session it read for may be gone. */
void uppp_host_if_release(struct uppp_host_if *i);
/* One IP packet from the peer to the interface; dropped when there is none
 * or its queue is full, as a wire would. Queued with the batch's others
 * (h->tunq): pkt must stay unchanged until the next uppp_host_flush. */
void uppp_host_if_write(struct uppp_host_if *i, const uint8_t *pkt, size_t len);

/* The glue inside a runtime object, for tests that fail its timer. */
struct uppp_host *uppp_server_host(struct uppp_server *srv);
struct uppp_host *uppp_client_host(struct uppp_client *c);

#endif
