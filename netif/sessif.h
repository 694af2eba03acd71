/* netif/sessif.h — the interface a session's IP packets go through.
 *
 * The runtime binds each session to one of these and knows nothing else
 * about how it is made. A pool hands them out in one of two modes:
 *
 *  - UPPP_SESSIF_PER_SESSION: each session has a TUN device of its own,
 *    configured point-to-point (local peer PEER/32, the session's MTU, up).
 *    A released device is not deleted: its address goes, it goes down, the
 *    packets still queued in it are discarded, and it waits on an idle list
 *    for the next session, keeping its name (the kernel needs ~18 ms to
 *    delete a TUN, ~0.1 ms to create one). Up to idle_max wait; one more is
 *    deleted at once. uppp_sessif_pool_free() deletes every device in one
 *    netlink request (one link group) instead of one at a time.
 *  - UPPP_SESSIF_SHARED: one TUN for every session, made by
 *    uppp_sessif_pool_new(). It gets each local address once (LOCAL/32, no
 *    peer); each session adds a route PEER/32 dev SHARED src LOCAL mtu MTU
 *    and removes it on release. The route requests go to the kernel in
 *    batches (netif/rtbatch.h): at once, or, with defer_routes, when
 *    uppp_sessif_pool_flush() is called (a runtime calls it once per turn
 *    of its loop). Packets the kernel routes into the device
 *    are read once for all sessions (uppp_sessif_pool_read) and go to the
 *    session whose peer address is their IPv4 destination; the rest are
 *    dropped and counted.
 *
 * The pool knows IPv4 addresses and routes, nothing of PPP. Functions return
 * 0 (or a length) or -errno; nothing prints. Not thread-safe. */
#ifndef UPPP_NETIF_SESSIF_H
#define UPPP_NETIF_SESSIF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct uppp_sessif_pool;
struct uppp_sessif;

enum uppp_sessif_mode {
	UPPP_SESSIF_PER_SESSION = 0,
	UPPP_SESSIF_SHARED = 1,
};

/* The MTU of the shared device: the largest a TUN takes. Each session's
 * route carries that session's MTU (the kernel honours a route's MTU for
 * forwarded packets too), so the device's own does not limit anyone. */
#define UPPP_SESSIF_SHARED_MTU 65535

struct uppp_sessif_config {
	enum uppp_sessif_mode mode;
	/* Per-session: "ppp%d" (the kernel picks the lowest free number) or an
	 * exact name (then one device at a time). Shared: the device's name,
	 * exact or with %d. */
	const char *name;
	/* Per-session: released devices kept for reuse (0: each is deleted on
	 * release, as a non-persistent TUN). Ignored when shared. */
	unsigned idle_max;
	/* Shared: uppp_sessif_acquire and uppp_sessif_release only queue the
	 * session's route request; uppp_sessif_pool_flush sends what is queued
	 * in one batch (so does an acquire or release that finds the batch
	 * full). A route the kernel then refuses (e.g. -EEXIST: someone else's
	 * route to that peer) is reported to route_failed, with why in words;
	 * the session keeps its handle (release it) but no longer has that
	 * peer. route_failed must not call into the pool but to release s.
	 * false: each acquire and release waits for its own request.
	 * Ignored per-session. */
	bool defer_routes;
	void (*route_failed)(void *ctx, struct uppp_sessif *s, int err, const char *why);
	void *ctx;
};

struct uppp_sessif_stats {
	uint64_t acquired;      /* uppp_sessif_acquire successes */
	uint64_t created;       /* TUN devices created (per-session) */
	uint64_t reused;        /* acquisitions served from the idle list */
	uint64_t deleted;       /* devices deleted before uppp_sessif_pool_free */
	size_t active, idle;    /* now */
	uint64_t rx_no_session; /* shared: read packets for no session's peer, dropped */
	uint64_t rx_not_ipv4;   /* shared: read packets that are not IPv4 (IPv6), dropped */
	uint64_t route_batches; /* shared: sends of route requests (netif/rtbatch.h) */
	uint64_t route_requests;/* shared: requests in them */
};

/* Per-session: opens the netlink socket. Shared: also creates the device,
 * MTU UPPP_SESSIF_SHARED_MTU, IPv6 off, up. On failure nothing is left
 * (err says why). */
int uppp_sessif_pool_new(struct uppp_sessif_pool **out, const struct uppp_sessif_config *cfg, char *err,
			 size_t errcap);
/* Deletes every device of the pool, acquired ones too (every acquired
 * handle is freed). NULL is allowed. */
void uppp_sessif_pool_free(struct uppp_sessif_pool *p);

enum uppp_sessif_mode uppp_sessif_pool_mode(const struct uppp_sessif_pool *p);
void uppp_sessif_pool_stats(const struct uppp_sessif_pool *p, struct uppp_sessif_stats *st);

/* Shared: the one descriptor to wait on for EPOLLIN, and its name.
 * Per-session: -1 and NULL (each session's own uppp_sessif_fd). */
int uppp_sessif_pool_fd(const struct uppp_sessif_pool *p);
const char *uppp_sessif_pool_name(const struct uppp_sessif_pool *p);
/* Shared: reads one packet. Its length, with *s the session whose peer is
 * the packet's IPv4 destination, or NULL when there is none (or the packet
 * is not IPv4: dropped and counted). -EAGAIN when none is waiting,
 * -EMSGSIZE (lost, see uppp_tun_read), -EOPNOTSUPP per-session, -errno. */
ssize_t uppp_sessif_pool_read(struct uppp_sessif_pool *p, uint8_t *buf, size_t cap, struct uppp_sessif **s);
/* Shared: the session whose peer is the IPv4 destination of the packet
 * read from the shared device (by the caller, e.g. in a batch), or NULL
 * (none, or not IPv4: counted as uppp_sessif_pool_read counts it). */
struct uppp_sessif *uppp_sessif_pool_route(struct uppp_sessif_pool *p, const uint8_t *pkt, size_t len);

/* Gives the session its interface with local_ip, peer_ip and the MTU
 * (addresses in host byte order): per-session, a device from the idle list
 * or a new one; shared, its route (-EEXIST when another session of the
 * pool has peer_ip; with defer_routes only queued, see there). On failure
 * nothing is left behind. */
int uppp_sessif_acquire(struct uppp_sessif_pool *p, uint32_t local_ip, uint32_t peer_ip,
			uint16_t mtu, struct uppp_sessif **out, char *err, size_t errcap);
/* Shared: sends the queued route requests in one batch (nothing queued: no
 * system call). Each refused route is reported to route_failed. Returns how
 * many were, or -errno when the batch could not be sent (each of its routes
 * is then reported). Per-session: 0. */
int uppp_sessif_pool_flush(struct uppp_sessif_pool *p);
/* Shared, deferred: flushes, and returns 0 when s's route is in, else its
 * -errno with err saying why (not reported to route_failed); release s then.
 * 0 for a per-session interface or one acquired without defer_routes. */
int uppp_sessif_settle(struct uppp_sessif_pool *p, struct uppp_sessif *s, char *err, size_t errcap);

/* Ends the session's use of its interface (see the modes above); s is
 * freed. NULL is allowed. */
void uppp_sessif_release(struct uppp_sessif_pool *p, struct uppp_sessif *s);

/* Whatever the caller keeps with the session (NULL until set). */
void uppp_sessif_set_user(struct uppp_sessif *s, void *user);
void *uppp_sessif_user(const struct uppp_sessif *s);

/* The device's descriptor (shared: the pool's, for all sessions) and its
 * name (shared: the shared device's). */
int uppp_sessif_fd(const struct uppp_sessif *s);
const char *uppp_sessif_name(const struct uppp_sessif *s);
/* Per-session: like uppp_tun_read(): length, -EAGAIN when empty,
 * -EMSGSIZE, -errno. Shared: -EOPNOTSUPP (uppp_sessif_pool_read). */
ssize_t uppp_sessif_read(struct uppp_sessif *s, uint8_t *buf, size_t cap);
/* One IP packet from the peer, to the kernel. 0 or -errno. */
int uppp_sessif_write(struct uppp_sessif *s, const uint8_t *pkt, size_t len);

#endif
