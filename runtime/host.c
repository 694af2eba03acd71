/* runtime/host.c — the host glue both runtimes share (see host.h). */
#include "runtime/host.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "netif/eth.h"
#include "netif/sessif.h"
#include "netif/tunq.h"
#include "proto/ppp.h"   /* UPPP_NO_DEADLINE */

static void timer_fired(void *ctx, uint64_t now)
{
	struct uppp_host *h = ctx;
	h->engine->run_timers(h->engine_ctx, now);
	uppp_host_rearm(h);
}

void uppp_host_init(struct uppp_host *h, uppp_log_fn *log, void *log_ud, FILE *log_out,
		    enum uppp_log_level log_level, const struct uppp_host_engine *engine, void *engine_ctx)
{
	if (log)
		uppp_log_init_callback(&h->log, log, log_ud, log_level);
	else
		uppp_log_init(&h->log, log_out ? log_out : stderr, log_level);
	h->engine = engine;
	h->engine_ctx = engine_ctx;
	h->arm_timer = uppp_timer_arm;
	uppp_timer_init(&h->timer, timer_fired, h);
}

/* Where to read the next IP packet from an interface: into the Ethernet's
 * next queue slot behind the room for its headers, so that the engine frames
 * it in place and the send queues it without a copy; h->ip_buf when there is
 * no Ethernet. A packet longer than the slot is cut short there, and then
 * too long for the session (whose MTU is below the Ethernet's), as whole. */
static uint8_t *ip_read_buffer(struct uppp_host *h, size_t *cap)
{
	if (!h->eth) {
		*cap = sizeof(h->ip_buf);
		return h->ip_buf;
	}
	*cap = uppp_eth_slot_size(h->eth) - UPPP_FRAME_IP_OFFSET;
	return uppp_eth_next_slot(h->eth) + UPPP_FRAME_IP_OFFSET;
}

/* How many packets the next batched read asks for: twice what the last
 * one found, so that a flood reaches the bound at once. */
static void rd_adapt(struct uppp_host *h, int got)
{
	unsigned want = got > 0 ? 2u * (unsigned)got : 1u;
	h->rd_want = want > UPPP_HOST_BATCH ? UPPP_HOST_BATCH : want;
}

/* Reads a batch of packets from fd in one call (netif/tunq.h) into
 * h->rd[0..*asked-1]: h->rd_len[i] > 0 for each packet. Returns how many
 * were read, 0 when none. A trickle (no read for more than a millisecond:
 * pings, keep-alives) asks for one, a plain read(2), cheaper than the ring
 * for one packet. */
static int rd_batch(struct uppp_host *h, int fd, unsigned *asked)
{
	uint64_t now = uppp_loop_now(h->loop);
	*asked = now > h->rd_last_ms + 1 ? 1u : h->rd_want;
	h->rd_last_ms = now;
	int got = uppp_tunq_read(h->tunq, fd, h->rd, h->rd_cap, *asked, h->rd_len);
	rd_adapt(h, got);
	return got;
}

/* The shared device: read in bounded batches, as each per-session device
 * (tun_readable), each packet to the session its destination names. A
 * packet for no session is counted by the pool and dropped. */
static void shared_readable(void *ctx, int fd, uint32_t events)
{
	struct uppp_host *h = ctx;
	(void)events;
	if (h->rd_mem) {
		unsigned asked;
		int got = rd_batch(h, fd, &asked);
		for (unsigned k = 0; got > 0 && k < asked && h->ifpool; k++) {
			size_t n = h->rd_len[k];
			if (n == 0 || n >= h->rd_cap)
				continue;   /* none, or cut short (lost) */
			struct uppp_sessif *s = uppp_sessif_pool_route(h->ifpool, h->rd[k], n);
			if (s) {
				struct uppp_host_if *i = uppp_sessif_user(s);
				h->engine->send_ip(h->engine_ctx, i->session, h->rd[k], n, uppp_host_now(h));
			}
		}
		uppp_host_rearm(h);
		return;
	}
	for (int k = 0; k < UPPP_HOST_BATCH && h->ifpool; k++) {
		struct uppp_sessif *s;
		size_t cap;
		uint8_t *buf = ip_read_buffer(h, &cap);
		ssize_t n = uppp_sessif_pool_read(h->ifpool, buf, cap, &s);
		if (n == -EMSGSIZE)
			continue;
		if (n <= 0)
			break;
		if (!s)
			continue;
		/* The send may end any session and free its uppp_host_if: the
		 * next packet is looked up afresh, so nothing of i is kept. */
		struct uppp_host_if *i = uppp_sessif_user(s);
		h->engine->send_ip(h->engine_ctx, i->session, buf, (size_t)n, uppp_host_now(h));
	}
	uppp_host_rearm(h);
}

/* A deferred route the kernel refused (netif/sessif.h): the engine ends the
 * session, which releases the interface. */
static void route_failed(void *ctx, struct uppp_sessif *s, int err, const char *why)
{
	struct uppp_host *h = ctx;
	struct uppp_host_if *i = uppp_sessif_user(s);

	if (i)
		h->engine->if_failed(h->engine_ctx, i->session, err, why, uppp_host_now(h));
}

int uppp_host_open(struct uppp_host *h, const char *ifname, const struct uppp_sessif_config *ifcfg)
{
	char err[512] = "";
	int rc;

	h->loop = uppp_loop_new();
	if (!h->loop)
		return -ENOMEM;
	rc = uppp_eth_open(&h->eth, ifname, err, sizeof(err));
	if (rc < 0) {
		uppp_logf(&h->log, UPPP_LOG_ERR, "layer=eth event=open-failed if=%s err=\"%s\"", ifname, err);
		return rc;
	}
	rc = uppp_tunq_new(&h->tunq, true);
	if (rc < 0)
		return rc;
	/* Batched TUN writes point into the frames: keep them until the flush. */
	uppp_eth_set_hold(h->eth, uppp_tunq_batched(h->tunq));
	if (uppp_tunq_batched(h->tunq)) {
		/* packets read in batches land here, then go to the send slots;
		 * zeroed once: a memory checker (valgrind) does not see the
		 * kernel's writes through io_uring and would call them unset */
		h->rd_cap = uppp_eth_slot_size(h->eth) - UPPP_FRAME_IP_OFFSET;
		h->rd_mem = calloc(UPPP_HOST_BATCH, h->rd_cap);
		if (!h->rd_mem)
			return -ENOMEM;
		for (unsigned k = 0; k < UPPP_HOST_BATCH; k++)
			h->rd[k] = h->rd_mem + k * h->rd_cap;
		rd_adapt(h, 0);
	}
	struct uppp_sessif_config c = *ifcfg;
	if (!c.name)
		c.name = "ppp%d";
	c.defer_routes = h->engine->if_failed != NULL;
	c.route_failed = route_failed;
	c.ctx = h;
	rc = uppp_sessif_pool_new(&h->ifpool, &c, err, sizeof(err));
	if (rc < 0) {
		uppp_logf(&h->log, UPPP_LOG_ERR, "layer=netif event=init-failed err=\"%s\"", err);
		return rc;
	}
	if (uppp_sessif_pool_fd(h->ifpool) >= 0) {
		rc = uppp_loop_add_fd(h->loop, uppp_sessif_pool_fd(h->ifpool), EPOLLIN, shared_readable, h);
		if (rc < 0)
			return rc;
		uppp_logf(&h->log, UPPP_LOG_INFO, "layer=netif event=shared-interface if=%s",
			  uppp_sessif_pool_name(h->ifpool));
	}
	return 0;
}

static void eth_rx(void *ctx, uint8_t *frame, size_t len)
{
	struct uppp_host *h = ctx;
	if (__builtin_expect(h->taps.head != NULL, 0))   /* capture, trace */
		uppp_taps_frame(&h->taps, UPPP_TAP_IN, frame, len, uppp_host_now(h));
	h->engine->input(h->engine_ctx, frame, len, uppp_host_now(h));
}

static void eth_readable(void *ctx, int fd, uint32_t events)
{
	struct uppp_host *h = ctx;
	(void)fd;
	(void)events;
	/* A bounded batch, as for each session's interface (tun_readable):
	 * under load from both sides each gets its turn in every iteration of
	 * the loop (level-triggered, it comes back while frames wait). */
	int n = uppp_eth_dispatch_max(h->eth, UPPP_HOST_BATCH, eth_rx, h);
	uppp_host_rearm(h);          /* flushes: the batch's TUN writes are done */
	uppp_eth_release(h->eth);    /* so its frames' ring slots go back */
	if (n < 0)
		h->engine->eth_failed(h->engine_ctx, n, uppp_host_now(h));
}

int uppp_host_watch_eth(struct uppp_host *h)
{
	return uppp_loop_add_fd(h->loop, uppp_eth_fd(h->eth), EPOLLIN, eth_readable, h);
}

void uppp_host_unwatch_eth(struct uppp_host *h)
{
	if (h->eth)
		uppp_loop_del_fd(h->loop, uppp_eth_fd(h->eth));
}

void uppp_host_close(struct uppp_host *h)
{
	uppp_tunq_free(h->tunq);   /* writes what is queued, before the interfaces go */
	h->tunq = NULL;
	free(h->rd_mem);
	h->rd_mem = NULL;
	if (h->ifpool)
		uppp_sessif_pool_free(h->ifpool);
	if (h->eth)
		uppp_eth_close(h->eth);
	if (h->loop)
		uppp_loop_free(h->loop);
	h->ifpool = NULL;
	h->eth = NULL;
	h->loop = NULL;
	uppp_log_close(&h->log);
}

uint64_t uppp_host_now(struct uppp_host *h)
{
	return uppp_loop_now(h->loop);
}

static void log_send_failed(struct uppp_host *h, int err)
{
	uppp_logf(&h->log, UPPP_LOG_WARN, "layer=eth event=send-failed err=%s", strerror(-err));
}

void uppp_host_send_frame(struct uppp_host *h, const uint8_t *frame, size_t len)
{
	if (__builtin_expect(h->taps.head != NULL, 0))   /* capture, trace */
		uppp_taps_frame(&h->taps, UPPP_TAP_OUT, frame, len, uppp_host_now(h));
	int err = uppp_eth_send(h->eth, frame, len);
	if (err < 0)
		log_send_failed(h, err);
}

void uppp_host_tap_add(struct uppp_host *h, struct uppp_tap *t)
{
	uppp_taps_add(&h->taps, t);
}

void uppp_host_tap_remove(struct uppp_host *h, struct uppp_tap *t)
{
	uppp_taps_remove(&h->taps, t);
}

uint8_t *uppp_host_frame_buffer(struct uppp_host *h)
{
	return h->eth ? uppp_eth_next_slot(h->eth) : NULL;
}

void uppp_host_flush(struct uppp_host *h)
{
	/* routes first: a session that came up has its route before the
	 * frames that tell its peer leave */
	if (h->ifpool)
		(void)uppp_sessif_pool_flush(h->ifpool);   /* refusals: engine->if_failed */
	if (h->tunq)
		(void)uppp_tunq_flush(h->tunq);   /* refused packets are lost, as on a wire */
	if (!h->eth)
		return;
	int err = uppp_eth_flush(h->eth);
	if (err < 0)
		log_send_failed(h, err);
}

void uppp_host_rearm(struct uppp_host *h)
{
	/* arming to UPPP_NO_DEADLINE (UINT64_MAX) cancels */
	_Static_assert(UPPP_NO_DEADLINE == UINT64_MAX, "uppp_timer_arm cancels at UINT64_MAX");
	int err = h->arm_timer(h->loop, &h->timer, h->engine->next_deadline(h->engine_ctx));
	if (err < 0)
		h->engine->timer_failed(h->engine_ctx, err, uppp_host_now(h));
	uppp_host_flush(h);   /* what the engine sent (timer_failed's PADTs too) leaves now */
}

void uppp_host_cancel_timer(struct uppp_host *h)
{
	uppp_host_flush(h);
	uppp_timer_cancel(h->loop, &h->timer);
}

const char *uppp_host_signal_name(int signo)
{
	return signo == SIGINT ? "INT" : signo == SIGTERM ? "TERM" : "other";
}

bool uppp_host_finish(struct uppp_host *h)
{
	if (h->done)
		return false;
	h->done = true;
	uppp_host_unwatch_eth(h);
	return true;
}

int uppp_host_fd(const struct uppp_host *h)
{
	return uppp_loop_fd(h->loop);
}

int uppp_host_timeout_ms(const struct uppp_host *h)
{
	return h->done ? -1 : uppp_loop_timeout_ms(h->loop);
}

/* One iteration: wait up to max_wait_ms (0: not at all) for events or the
 * next timer, then run what is ready. */
static int host_iterate(struct uppp_host *h, int max_wait_ms)
{
	if (h->done)
		return h->exit_code;
	/* what this iteration logs leaves in one write at its end */
	uppp_log_batch_begin(&h->log);
	int n = uppp_loop_run_once(h->loop, max_wait_ms);
	uppp_log_batch_end(&h->log);
	if (n < 0)
		return n;
	return h->done ? h->exit_code : 0;
}

int uppp_host_dispatch(struct uppp_host *h)
{
	return host_iterate(h, 0);
}

/* The loop's own wait: one epoll_wait per turn, where a poll() on
 * uppp_host_fd() followed by uppp_host_dispatch() makes two. */
int uppp_host_wait(struct uppp_host *h)
{
	return host_iterate(h, -1);
}

int uppp_host_watch_fd(struct uppp_host *h, int fd, uppp_fd_cb cb, void *ctx)
{
	if (fd < 0 || !cb)
		return -EINVAL;
	return uppp_loop_add_foreign_fd(h->loop, fd, cb, ctx);
}

int uppp_host_unwatch_fd(struct uppp_host *h, int fd)
{
	return uppp_loop_del_foreign_fd(h->loop, fd);
}

int uppp_host_run(struct uppp_host *h)
{
	int rc = 0;
	while (!h->done)
		if ((rc = uppp_host_wait(h)) < 0)
			break;
	return rc;
}

/* ---- one session's interface ---- */

void uppp_host_if_init(struct uppp_host_if *i, struct uppp_host *h, void *session)
{
	memset(i, 0, sizeof(*i));
	i->host = h;
	i->session = session;
}

static void tun_readable(void *ctx, int fd, uint32_t events)
{
	struct uppp_host_if *i = ctx;
	struct uppp_host *h = i->host;
	(void)events;
	if (h->rd_mem) {
		unsigned asked;
		int got = rd_batch(h, fd, &asked);
		uint64_t released = h->ifs_released;
		for (unsigned k = 0; got > 0 && k < asked; k++) {
			size_t n = h->rd_len[k];
			if (n == 0 || n >= h->rd_cap)
				continue;   /* none, or cut short (lost) */
			/* as below: once any interface went, i may be gone too */
			h->engine->send_ip(h->engine_ctx, i->session, h->rd[k], n, uppp_host_now(h));
			if (h->ifs_released != released)
				break;
		}
		uppp_host_rearm(h);
		return;
	}
	/* Bounded batch so one busy session cannot starve the others. */
	for (int k = 0; k < UPPP_HOST_BATCH && i->ifc; k++) {
		size_t cap;
		uint8_t *buf = ip_read_buffer(h, &cap);
		ssize_t n = uppp_sessif_read(i->ifc, buf, cap);
		if (n <= 0)
			break;
		/* A send can end the session (a timer the host cannot arm:
		 * host-error), and its owner may free i then: touch i no more. */
		uint64_t released = h->ifs_released;
		h->engine->send_ip(h->engine_ctx, i->session, buf, (size_t)n, uppp_host_now(h));
		if (h->ifs_released != released)
			break;
	}
	uppp_host_rearm(h);
}

int uppp_host_if_up(struct uppp_host_if *i, uint16_t sess, uint32_t local_ip, uint32_t peer_ip, uint16_t mtu,
		    char *err, size_t errcap)
{
	struct uppp_host *h = i->host;
	if (i->ifc) {
		/* up again after a renegotiation (proto/ppp.h): keep the
		 * interface if nothing changed, else make it anew */
		if (i->local_ip == local_ip && i->peer_ip == peer_ip && i->mtu == mtu) {
			uppp_logf(&h->log, UPPP_LOG_INFO, "sess=%u layer=session event=renegotiated if=%s "
				  "changed=none", sess, uppp_sessif_name(i->ifc));
			return 0;
		}
		uppp_host_if_release(i);
	}
	int rc = uppp_sessif_acquire(h->ifpool, local_ip, peer_ip, mtu, &i->ifc, err, errcap);
	if (rc < 0) {
		i->ifc = NULL;
		return rc;
	}
	uppp_sessif_set_user(i->ifc, i);
	/* a shared device is read once for all (shared_readable) */
	rc = uppp_sessif_pool_fd(h->ifpool) >= 0 ? 0
		: uppp_loop_add_fd(h->loop, uppp_sessif_fd(i->ifc), EPOLLIN, tun_readable, i);
	if (rc < 0) {
		uppp_sessif_release(h->ifpool, i->ifc);
		i->ifc = NULL;
		if (errcap)
			err[0] = '\0';
		return rc;
	}
	i->local_ip = local_ip;
	i->peer_ip = peer_ip;
	i->mtu = mtu;
	return 1;
}

int uppp_host_if_settle(struct uppp_host_if *i, char *err, size_t errcap)
{
	if (!i->ifc)
		return 0;
	int rc = uppp_sessif_settle(i->host->ifpool, i->ifc, err, errcap);
	if (rc < 0)
		uppp_host_if_release(i);
	return rc;
}

void uppp_host_if_release(struct uppp_host_if *i)
{
	struct uppp_host *h = i->host;
	h->ifs_released++;
	if (!i->ifc)
		return;
	if (h->tunq)
		(void)uppp_tunq_flush(h->tunq);   /* nothing queued for a descriptor that closes */
	if (uppp_sessif_pool_fd(h->ifpool) < 0)
		uppp_loop_del_fd(h->loop, uppp_sessif_fd(i->ifc));
	uppp_sessif_release(h->ifpool, i->ifc);
	i->ifc = NULL;
}

void uppp_host_if_write(struct uppp_host_if *i, const uint8_t *pkt, size_t len)
{
	if (!i->ifc)
		return;
	/* a full TUN queue drops, as a wire would */
	if (i->host->tunq)
		(void)uppp_tunq_write(i->host->tunq, uppp_sessif_fd(i->ifc), pkt, len);
	else
		(void)uppp_sessif_write(i->ifc, pkt, len);
}
