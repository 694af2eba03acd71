/* netif/sessif.c — session interfaces: per-session TUNs from a pool of
 * reusable devices, or one shared TUN with a /32 route per session. */
#include "netif/sessif.h"

#include <errno.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netif/nl.h"
#include "netif/rtbatch.h"
#include "netif/seterr.h"
#include "netif/tun.h"

struct uppp_sessif {
	struct uppp_tun *tun;             /* per-session: its own; shared: the pool's */
	bool own;                         /* tun is this session's (per-session) */
	int num;                          /* per-session: its number in the pool's pattern, or -1 */
	uint32_t local_ip, peer_ip;
	uint16_t mtu;
	int route_err;                    /* shared: 0, or why its route was refused (-errno) */
	void *user;
	struct uppp_sessif *prev, *next;  /* the pool's acquired list, or (next) its idle list */
	struct uppp_sessif *hnext;        /* shared: the peer hash chain */
};

struct uppp_sessif_pool {
	enum uppp_sessif_mode mode;
	struct uppp_nl *nl;
	char name[IFNAMSIZ];
	unsigned idle_max;
	struct uppp_sessif *head;         /* acquired */
	struct uppp_sessif *idle;         /* per-session: released devices, most recent first */
	struct uppp_tun *shared;          /* shared: the device */
	struct uppp_rtbatch *rt;          /* shared: route requests not sent yet */
	bool defer;                       /* shared: routes wait for uppp_sessif_pool_flush */
	struct uppp_sessif *settling;     /* shared: acquired now, its failure returned, not reported */
	void (*route_failed)(void *ctx, struct uppp_sessif *s, int err, const char *why);
	void *ctx;
	uint32_t shared_local;            /* shared: the last local address given to it (0: none) */
	struct uppp_sessif **bucket;      /* shared: sessions by peer address */
	size_t nbuckets;                  /* a power of two */
	/* per-session with a "%d" pattern: the numbers our devices hold */
	bool numbered;
	uint64_t *nums;
	size_t nums_words;
	struct uppp_sessif_stats st;
};

/* ---- shared: sessions by peer address ---- */

#define FIRST_BUCKETS 256

static size_t bucket_of(const struct uppp_sessif_pool *p, uint32_t peer)
{
	return (size_t)((peer * 2654435761u) >> 8) & (p->nbuckets - 1);
}

static struct uppp_sessif *find_peer(const struct uppp_sessif_pool *p, uint32_t peer)
{
	for (struct uppp_sessif *s = p->bucket[bucket_of(p, peer)]; s != NULL; s = s->hnext)
		if (s->peer_ip == peer)
			return s;
	return NULL;
}

/* Twice the buckets once there are more sessions than buckets. Allocates:
 * on the acquire path, never per packet. A failure keeps the old table
 * (longer chains, still correct). */
static void grow_buckets(struct uppp_sessif_pool *p)
{
	size_t n = p->nbuckets * 2;
	struct uppp_sessif **b = calloc(n, sizeof(*b));

	if (b == NULL)
		return;
	struct uppp_sessif **old = p->bucket;
	size_t oldn = p->nbuckets;

	p->bucket = b;
	p->nbuckets = n;
	for (size_t i = 0; i < oldn; i++) {
		for (struct uppp_sessif *s = old[i], *nx; s != NULL; s = nx) {
			nx = s->hnext;
			size_t k = bucket_of(p, s->peer_ip);
			s->hnext = b[k];
			b[k] = s;
		}
	}
	free(old);
}

static void unhash(struct uppp_sessif_pool *p, struct uppp_sessif *s)
{
	for (struct uppp_sessif **pp = &p->bucket[bucket_of(p, s->peer_ip)]; *pp != NULL; pp = &(*pp)->hnext) {
		if (*pp == s) {
			*pp = s->hnext;
			return;
		}
	}
}

/* ---- the pool ---- */

static void link_acquired(struct uppp_sessif_pool *p, struct uppp_sessif *s)
{
	s->prev = NULL;
	s->next = p->head;
	if (p->head != NULL)
		p->head->prev = s;
	p->head = s;
	p->st.active++;
	p->st.acquired++;
}

static void unlink_acquired(struct uppp_sessif_pool *p, struct uppp_sessif *s)
{
	if (s->prev != NULL)
		s->prev->next = s->next;
	else
		p->head = s->next;
	if (s->next != NULL)
		s->next->prev = s->prev;
	s->prev = s->next = NULL;
	p->st.active--;
}

static int open_shared(struct uppp_sessif_pool *p, char *err, size_t errcap)
{
	int rc = uppp_tun_open(&p->shared, p->name, err, errcap);

	if (rc < 0)
		return rc;
	rc = uppp_nl_link_up(p->nl, uppp_tun_ifindex(p->shared), UPPP_SESSIF_SHARED_MTU, err, errcap);
	if (rc < 0)
		return rc;
	rc = uppp_rtbatch_open(&p->rt, err, errcap);
	if (rc < 0)
		return rc;
	p->bucket = calloc(FIRST_BUCKETS, sizeof(*p->bucket));
	if (p->bucket == NULL) {
		uppp_seterr(err, errcap, "out of memory");
		return -ENOMEM;
	}
	p->nbuckets = FIRST_BUCKETS;
	return 0;
}

/* ---- per-session: device names ----
 *
 * With a pattern such as "ppp%d" the pool numbers its devices itself: the
 * lowest number none of its devices holds and no other device's name uses.
 * The kernel would do the same, but by reading every device's name for each
 * new one: with 10,000 TUNs each new one took ~2.4 ms. */

static bool is_numbered_pattern(const char *name)
{
	const char *pc = strchr(name, '%');
	return pc != NULL && pc[1] == 'd' && strchr(pc + 2, '%') == NULL;
}

static void num_set(struct uppp_sessif_pool *p, int k, bool on)
{
	if (k < 0 || (size_t)k / 64 >= p->nums_words)
		return;
	if (on)
		p->nums[k / 64] |= 1ull << (k % 64);
	else
		p->nums[k / 64] &= ~(1ull << (k % 64));
}

static bool num_taken(const struct uppp_sessif_pool *p, unsigned k)
{
	return k / 64 < p->nums_words && (p->nums[k / 64] >> (k % 64) & 1);
}

/* A new device for the pool: named after the pattern by number, or by the
 * kernel (an exact name: as given). *num: the number, or -1. */
static int open_device(struct uppp_sessif_pool *p, struct uppp_tun **t, int *num, char *err, size_t errcap)
{
	*num = -1;
	if (!p->numbered)
		return uppp_tun_open(t, p->name, err, errcap);
	const char *pc = strchr(p->name, '%');
	for (unsigned k = 0; k < 1000000; k++) {
		char name[IFNAMSIZ + 16];
		if (num_taken(p, k))
			continue;
		int n = snprintf(name, sizeof(name), "%.*s%u%s", (int)(pc - p->name), p->name, k, pc + 2);
		if (n < 0 || n >= IFNAMSIZ) {
			uppp_seterr(err, errcap, "%s: no free interface name (number %u makes it too long)", p->name, k);
			return -ENFILE;
		}
		if (if_nametoindex(name) != 0)
			continue;   /* someone else's */
		int rc = uppp_tun_open(t, name, err, errcap);
		if (rc == -EBUSY || rc == -EEXIST)
			continue;   /* made meanwhile by someone else */
		if (rc < 0)
			return rc;
		if (k / 64 >= p->nums_words) {
			size_t words = p->nums_words ? p->nums_words * 2 : 4;
			while (k / 64 >= words)
				words *= 2;
			uint64_t *v = realloc(p->nums, words * sizeof(*v));
			if (v == NULL) {
				uppp_tun_close(*t);
				*t = NULL;
				uppp_seterr(err, errcap, "out of memory");
				return -ENOMEM;
			}
			memset(v + p->nums_words, 0, (words - p->nums_words) * sizeof(*v));
			p->nums = v;
			p->nums_words = words;
		}
		num_set(p, (int)k, true);
		*num = (int)k;
		return 0;
	}
	uppp_seterr(err, errcap, "%s: no free interface name", p->name);
	return -ENFILE;
}

/* Deletes a per-session device and frees its number. */
static void close_device(struct uppp_sessif_pool *p, struct uppp_sessif *s)
{
	uppp_tun_close(s->tun);
	s->tun = NULL;
	num_set(p, s->num, false);
	s->num = -1;
}

int uppp_sessif_pool_new(struct uppp_sessif_pool **out, const struct uppp_sessif_config *cfg, char *err,
			 size_t errcap)
{
	struct uppp_sessif_pool *p;
	const char *name = cfg->name;
	int rc;

	*out = NULL;
	if (name == NULL || name[0] == '\0' || strlen(name) >= IFNAMSIZ) {
		uppp_seterr(err, errcap, "interface name pattern empty or longer than %d characters",
		       IFNAMSIZ - 1);
		return -EINVAL;
	}
	if (cfg->mode != UPPP_SESSIF_PER_SESSION && cfg->mode != UPPP_SESSIF_SHARED) {
		uppp_seterr(err, errcap, "unknown interface mode %d", (int)cfg->mode);
		return -EINVAL;
	}
	p = calloc(1, sizeof(*p));
	if (p == NULL) {
		uppp_seterr(err, errcap, "out of memory");
		return -ENOMEM;
	}
	p->mode = cfg->mode;
	p->idle_max = cfg->mode == UPPP_SESSIF_PER_SESSION ? cfg->idle_max : 0;
	p->defer = cfg->mode == UPPP_SESSIF_SHARED && cfg->defer_routes;
	p->route_failed = cfg->route_failed;
	p->ctx = cfg->ctx;
	memcpy(p->name, name, strlen(name) + 1);
	p->numbered = cfg->mode == UPPP_SESSIF_PER_SESSION && is_numbered_pattern(name);
	rc = uppp_nl_open(&p->nl, err, errcap);
	if (rc == 0 && p->mode == UPPP_SESSIF_SHARED)
		rc = open_shared(p, err, errcap);
	if (rc < 0) {
		uppp_sessif_pool_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

void uppp_sessif_pool_free(struct uppp_sessif_pool *p)
{
	size_t n = 0, k = 0;
	int *ifindex;

	if (p == NULL)
		return;
	/* What is queued goes, as it did one by one before batches (a shared
	 * device someone made persistent keeps its routes); no refusal is
	 * reported to an owner that is going. */
	p->route_failed = NULL;
	(void)uppp_sessif_pool_flush(p);
	/* Every per-session device, acquired or idle, in one request: the
	 * kernel waits once for all instead of ~18 ms each on close. */
	for (struct uppp_sessif *s = p->head; s != NULL; s = s->next)
		n += s->own;
	for (struct uppp_sessif *s = p->idle; s != NULL; s = s->next)
		n++;
	ifindex = n ? malloc(n * sizeof(*ifindex)) : NULL;
	if (ifindex != NULL && p->nl != NULL) {
		for (struct uppp_sessif *s = p->head; s != NULL; s = s->next)
			if (s->own)
				ifindex[k++] = uppp_tun_ifindex(s->tun);
		for (struct uppp_sessif *s = p->idle; s != NULL; s = s->next)
			ifindex[k++] = uppp_tun_ifindex(s->tun);
		(void)uppp_nl_delete_links(p->nl, ifindex, k);  /* else each goes on close */
	}
	free(ifindex);
	while (p->head != NULL) {
		struct uppp_sessif *s = p->head;
		p->head = s->next;
		if (s->own)
			uppp_tun_close(s->tun);
		free(s);
	}
	while (p->idle != NULL) {
		struct uppp_sessif *s = p->idle;
		p->idle = s->next;
		uppp_tun_close(s->tun);
		free(s);
	}
	uppp_rtbatch_close(p->rt);
	uppp_tun_close(p->shared);
	free(p->bucket);
	free(p->nums);
	uppp_nl_close(p->nl);
	free(p);
}

enum uppp_sessif_mode uppp_sessif_pool_mode(const struct uppp_sessif_pool *p) { return p->mode; }

void uppp_sessif_pool_stats(const struct uppp_sessif_pool *p, struct uppp_sessif_stats *st)
{
	*st = p->st;
	if (p->rt)
		uppp_rtbatch_counts(p->rt, &st->route_batches, &st->route_requests);
}

int uppp_sessif_pool_fd(const struct uppp_sessif_pool *p)
{
	return p->shared != NULL ? uppp_tun_fd(p->shared) : -1;
}

const char *uppp_sessif_pool_name(const struct uppp_sessif_pool *p)
{
	return p->shared != NULL ? uppp_tun_name(p->shared) : NULL;
}

/* The IPv4 destination of a packet read from the shared device. */
static bool ipv4_dst(const uint8_t *pkt, size_t len, uint32_t *dst)
{
	if (len < 20 || pkt[0] >> 4 != 4)
		return false;
	*dst = (uint32_t)pkt[16] << 24 | (uint32_t)pkt[17] << 16 | (uint32_t)pkt[18] << 8 | pkt[19];
	return true;
}

ssize_t uppp_sessif_pool_read(struct uppp_sessif_pool *p, uint8_t *buf, size_t cap, struct uppp_sessif **s)
{
	ssize_t n;

	*s = NULL;
	if (p->shared == NULL)
		return -EOPNOTSUPP;
	n = uppp_tun_read(p->shared, buf, cap);
	if (n < 0)
		return n;
	*s = uppp_sessif_pool_route(p, buf, (size_t)n);
	return n;
}

struct uppp_sessif *uppp_sessif_pool_route(struct uppp_sessif_pool *p, const uint8_t *pkt, size_t len)
{
	struct uppp_sessif *s = NULL;
	uint32_t dst;

	if (!ipv4_dst(pkt, len, &dst))
		p->st.rx_not_ipv4++;
	else if ((s = find_peer(p, dst)) == NULL)
		p->st.rx_no_session++;
	return s;
}

/* ---- shared: routes in batches (netif/rtbatch.h) ---- */

static void route_text(const struct uppp_sessif_pool *p, const struct uppp_sessif *s, int rc, char *err,
		       size_t errcap)
{
	uppp_seterr(err, errcap, "%s: cannot add route %u.%u.%u.%u/32 mtu %u: %s", uppp_tun_name(p->shared),
		    s->peer_ip >> 24, (s->peer_ip >> 16) & 0xff, (s->peer_ip >> 8) & 0xff, s->peer_ip & 0xff,
		    s->mtu, rc == -EEXIST ? "a route to that address exists already" : strerror(-rc));
}

/* The kernel refused s's route: the session no longer has that peer here.
 * Reported unless its acquire (or settle) is waiting for it. */
static void route_refused(void *ctx, void *tag, int rc)
{
	struct uppp_sessif_pool *p = ctx;
	struct uppp_sessif *s = tag;
	char why[160];

	unhash(p, s);
	s->route_err = rc;
	if (s == p->settling || p->route_failed == NULL)
		return;
	route_text(p, s, rc, why, sizeof(why));
	p->route_failed(p->ctx, s, rc, why);
}

int uppp_sessif_pool_flush(struct uppp_sessif_pool *p)
{
	return p->rt ? uppp_rtbatch_send(p->rt, route_refused, p) : 0;
}

/* Room for one more route request: a full batch is sent first. */
static void batch_room(struct uppp_sessif_pool *p)
{
	if (uppp_rtbatch_queued(p->rt) == UPPP_RTBATCH_MAX)
		(void)uppp_sessif_pool_flush(p);
}

/* s's route may be in: added, queued, or refused only as unanswered (a
 * lost answer, netif/rtbatch.h, says nothing of the route itself). */
static bool route_may_be_in(const struct uppp_sessif *s)
{
	return s->route_err == 0 || s->route_err == -ENOBUFS || s->route_err == -ETIMEDOUT;
}

int uppp_sessif_settle(struct uppp_sessif_pool *p, struct uppp_sessif *s, char *err, size_t errcap)
{
	if (s->own)
		return 0;
	p->settling = s;
	(void)uppp_sessif_pool_flush(p);
	p->settling = NULL;
	if (s->route_err < 0)
		route_text(p, s, s->route_err, err, errcap);
	return s->route_err;
}

/* ---- acquire and release ---- */

static int acquire_shared(struct uppp_sessif_pool *p, struct uppp_sessif *s, char *err, size_t errcap)
{
	int ifindex = uppp_tun_ifindex(p->shared);
	int rc;

	if (find_peer(p, s->peer_ip) != NULL) {
		uppp_seterr(err, errcap, "%s: another session has peer address %u.%u.%u.%u", uppp_tun_name(p->shared),
			    s->peer_ip >> 24, (s->peer_ip >> 16) & 0xff, (s->peer_ip >> 8) & 0xff, s->peer_ip & 0xff);
		return -EEXIST;
	}
	if (p->shared_local != s->local_ip) {
		rc = uppp_nl_add_local(p->nl, ifindex, s->local_ip, err, errcap);
		if (rc < 0)
			return rc;
		p->shared_local = s->local_ip;
	}
	batch_room(p);
	rc = uppp_rtbatch_route_add(p->rt, ifindex, s->peer_ip, s->local_ip, s->mtu, s);
	if (rc < 0) {
		uppp_seterr(err, errcap, "%s: route requests queued in a callback fill the batch", uppp_tun_name(p->shared));
		return rc;
	}
	if (p->st.active >= p->nbuckets)
		grow_buckets(p);
	size_t k = bucket_of(p, s->peer_ip);
	s->hnext = p->bucket[k];
	p->bucket[k] = s;
	s->tun = p->shared;
	if (p->defer)
		return 0;
	rc = uppp_sessif_settle(p, s, err, errcap);   /* unhashed when refused */
	return rc;
}

/* A device for one session: the most recently released one, or a new one.
 * A reused device that cannot be configured is deleted, as a new one is. */
static int acquire_own(struct uppp_sessif_pool *p, struct uppp_sessif *s, char *err, size_t errcap)
{
	int rc;

	if (p->idle != NULL) {
		struct uppp_sessif *d = p->idle;
		p->idle = d->next;
		p->st.idle--;
		s->tun = d->tun;
		s->num = d->num;
		free(d);
		p->st.reused++;
	} else {
		rc = open_device(p, &s->tun, &s->num, err, errcap);
		if (rc < 0)
			return rc;
		p->st.created++;
	}
	s->own = true;
	rc = uppp_nl_configure_p2p(p->nl, uppp_tun_ifindex(s->tun), s->local_ip, s->peer_ip, s->mtu, err, errcap);
	if (rc < 0) {
		close_device(p, s);  /* deletes the device with its addresses */
		p->st.deleted++;
		return rc;
	}
	return 0;
}

int uppp_sessif_acquire(struct uppp_sessif_pool *p, uint32_t local_ip, uint32_t peer_ip,
			uint16_t mtu, struct uppp_sessif **out, char *err, size_t errcap)
{
	struct uppp_sessif *s;
	int rc;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		uppp_seterr(err, errcap, "out of memory");
		return -ENOMEM;
	}
	s->num = -1;
	s->local_ip = local_ip;
	s->peer_ip = peer_ip;
	s->mtu = mtu;
	rc = p->mode == UPPP_SESSIF_SHARED ? acquire_shared(p, s, err, errcap) : acquire_own(p, s, err, errcap);
	if (rc < 0) {
		free(s);
		return rc;
	}
	link_acquired(p, s);
	*out = s;
	return 0;
}

/* Per-session: back to the idle list, or deleted when it is full or the
 * device cannot be cleaned. Packets the kernel queued for the old peer
 * are read and dropped: the next session must not receive them. */
static void release_own(struct uppp_sessif_pool *p, struct uppp_sessif *s)
{
	uint8_t junk[256];

	if (p->st.idle < p->idle_max &&
	    uppp_nl_unconfigure_p2p(p->nl, uppp_tun_ifindex(s->tun), s->local_ip, s->peer_ip, NULL, 0) == 0) {
		for (;;) {
			ssize_t n = uppp_tun_read(s->tun, junk, sizeof(junk));
			if (n < 0 && n != -EMSGSIZE)
				break;
		}
		s->user = NULL;
		s->next = p->idle;
		p->idle = s;
		p->st.idle++;
		return;
	}
	close_device(p, s);
	p->st.deleted++;
	free(s);
}

void uppp_sessif_release(struct uppp_sessif_pool *p, struct uppp_sessif *s)
{
	if (s == NULL)
		return;
	unlink_acquired(p, s);
	if (p->mode == UPPP_SESSIF_SHARED) {
		uppp_rtbatch_forget(p->rt, s);
		if (route_may_be_in(s)) {   /* queued: then added and deleted in order */
			unhash(p, s);
			batch_room(p);
			(void)uppp_rtbatch_route_del(p->rt, uppp_tun_ifindex(p->shared), s->peer_ip);
			if (!p->defer)
				(void)uppp_sessif_pool_flush(p);
		}
		free(s);
		return;
	}
	release_own(p, s);
}

void uppp_sessif_set_user(struct uppp_sessif *s, void *user) { s->user = user; }
void *uppp_sessif_user(const struct uppp_sessif *s) { return s->user; }

int uppp_sessif_fd(const struct uppp_sessif *s) { return uppp_tun_fd(s->tun); }
const char *uppp_sessif_name(const struct uppp_sessif *s) { return uppp_tun_name(s->tun); }

ssize_t uppp_sessif_read(struct uppp_sessif *s, uint8_t *buf, size_t cap)
{
	if (!s->own)
		return -EOPNOTSUPP;
	return uppp_tun_read(s->tun, buf, cap);
}

int uppp_sessif_write(struct uppp_sessif *s, const uint8_t *pkt, size_t len)
{
	return uppp_tun_write(s->tun, pkt, len);
}
