/* client_callback.c — a PPPoE client whose IP packets go to a callback, not
 * to a TUN, dialing an access concentrator in the same process. Both are
 * libuppp's sans-I/O engines (uppp/dial.h, uppp/ac.h); the "Ethernet"
 * between them is a socketpair, so it runs without root and touches no
 * interface.
 *
 *   client_callback [PINGS]
 *
 * The client authenticates with CHAP-MD5 as alice, gets 10.0.0.2, sends
 * PINGS ICMP echo requests (default 3) to the server's end, 10.0.0.1, whose
 * host answers them from its own deliver_ip callback; each reply reaches
 * the client's deliver_ip. Then the client hangs up (LCP Terminate-Request,
 * PADT). Exit 0 when every ping was answered and both sides saw the session
 * end. Build against the installed library:
 *
 *   cc -o client_callback client_callback.c $(pkg-config --cflags --libs uppp)
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <uppp/ac.h>
#include <uppp/dial.h>

#define SERVER_IP 0x0a000001u  /* 10.0.0.1, host order as everywhere in libuppp */
#define CLIENT_IP 0x0a000002u

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Both engines want randomness (cookies, magic numbers, challenges). */
static int fill_random(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	return getrandom(buf, len, 0) == (ssize_t)len ? 0 : -EIO;
}

static void put16(uint8_t *p, unsigned v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v & 0xffff); }
static uint32_t get32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | p[2] << 8 | p[3]; }

/* The Internet checksum (RFC 1071) of len bytes. */
static unsigned checksum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)(p[0] << 8 | p[1]);
	if (len)
		sum += (uint32_t)p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

/* An ICMP echo (type 8 request, 0 reply) from src to dst into pkt (64
 * bytes: IPv4 header 20, ICMP 8, payload 36). */
static size_t icmp_echo(uint8_t *pkt, uint8_t type, uint32_t src, uint32_t dst, unsigned seq)
{
	memset(pkt, 0, 64);
	pkt[0] = 0x45;                 /* IPv4, 20-byte header */
	put16(pkt + 2, 64);            /* total length */
	pkt[8] = 64;                   /* TTL */
	pkt[9] = 1;                    /* ICMP */
	put32(pkt + 12, src);
	put32(pkt + 16, dst);
	put16(pkt + 10, checksum(pkt, 20));
	pkt[20] = type;
	put16(pkt + 24, 0x7570);       /* identifier */
	put16(pkt + 26, seq);
	memcpy(pkt + 28, "libuppp: a packet to a callback", 32);
	put16(pkt + 22, checksum(pkt + 20, 44));
	return 64;
}

/* An ICMP echo of this type, to `to`? Returns its sequence number, or -1. */
static int is_icmp_echo(const uint8_t *pkt, size_t len, uint8_t type, uint32_t to)
{
	if (len < 28 || pkt[0] != 0x45 || pkt[9] != 1 || pkt[20] != type || get32(pkt + 16) != to)
		return -1;
	return pkt[26] << 8 | pkt[27];
}

/* ---- the server side: an AC whose host answers pings itself ---- */

struct server {
	int fd;                        /* its end of the socketpair */
	struct uppp_ac *ac;
	uint16_t reply_sess;           /* a reply to send once the AC call returns; 0 none */
	uint8_t reply[64];
	int sessions_ended;
};

static void server_send_frame(void *ctx, const uint8_t *frame, size_t len)
{
	struct server *sv = ctx;

	if (write(sv->fd, frame, len) < 0)
		perror("client_callback: server write");   /* lost, as on a wire */
}

static int server_get_secret(void *ctx, const char *peer, uint8_t *secret, size_t cap, size_t *len)
{
	static const char pw[] = "wonderland";

	(void)ctx;
	if (strcmp(peer, "alice") != 0 || cap < sizeof(pw) - 1)
		return -ENOENT;
	memcpy(secret, pw, sizeof(pw) - 1);
	*len = sizeof(pw) - 1;
	return 0;
}

static int server_assign(void *ctx, struct uppp_ac_session *s, const char *peer, uint32_t serial,
			 uint32_t *ip)
{
	(void)serial;
	(void)ctx, (void)s, (void)peer;
	*ip = CLIENT_IP;               /* one client: a pool of one */
	return 0;
}

static void server_release(void *ctx, struct uppp_ac_session *s, uint32_t ip)
{
	(void)ctx, (void)s, (void)ip;
}

static int server_up(void *ctx, struct uppp_ac_session *s, const struct uppp_ppp_link *link)
{
	(void)ctx;
	printf("server: session %u up, peer %s at %u.%u.%u.%u\n", uppp_ac_session_id(s), link->peer_name,
	       link->peer_ip >> 24, link->peer_ip >> 16 & 255, link->peer_ip >> 8 & 255, link->peer_ip & 255);
	return 0;
}

static void server_down(void *ctx, struct uppp_ac_session *s, enum uppp_cause cause)
{
	struct server *sv = ctx;

	printf("server: session %u down: %s\n", uppp_ac_session_id(s), uppp_cause_name(cause));
	sv->sessions_ended++;
}

/* A packet from the client, for "our interface": answer echo requests to
 * 10.0.0.1. The reply is sent after the AC call returns (not from inside
 * its callback). */
static void server_deliver_ip(void *ctx, struct uppp_ac_session *s, uint8_t *pkt, size_t len)
{
	struct server *sv = ctx;
	int seq = is_icmp_echo(pkt, len, 8, SERVER_IP);

	if (seq >= 0) {
		icmp_echo(sv->reply, 0, SERVER_IP, get32(pkt + 12), (unsigned)seq);
		sv->reply_sess = uppp_ac_session_id(s);
	}
}

static const struct uppp_ac_ops server_ops = {
	.send_frame = server_send_frame,
	.random = fill_random,
	.get_secret = server_get_secret,
	.assign_address = server_assign,
	.release_address = server_release,
	.session_up = server_up,
	.session_down = server_down,
	.deliver_ip = server_deliver_ip,
};

/* ---- the client side: IP packets to and from callbacks ---- */

struct client {
	int fd;
	struct uppp_dial *dial;
	bool up, down;
	enum uppp_cause cause;
	uint32_t local_ip, peer_ip;
	unsigned sent, answered;
};

static void client_send_frame(void *ctx, const uint8_t *frame, size_t len)
{
	struct client *cl = ctx;

	if (write(cl->fd, frame, len) < 0)
		perror("client_callback: client write");
}

static int client_up(void *ctx, const struct uppp_ppp_link *link)
{
	struct client *cl = ctx;

	cl->up = true;
	cl->local_ip = link->local_ip;
	cl->peer_ip = link->peer_ip;
	printf("client: up as %u.%u.%u.%u, mtu %u\n", link->local_ip >> 24, link->local_ip >> 16 & 255,
	       link->local_ip >> 8 & 255, link->local_ip & 255, link->mtu);
	return 0;
}

static void client_down(void *ctx, enum uppp_cause cause)
{
	struct client *cl = ctx;

	cl->up = false;
	cl->down = true;
	cl->cause = cause;
	printf("client: down: %s\n", uppp_cause_name(cause));
}

/* Where a TUN would have been: every IP packet from the server lands here. */
static void client_deliver_ip(void *ctx, uint8_t *pkt, size_t len)
{
	struct client *cl = ctx;
	int seq = is_icmp_echo(pkt, len, 0, cl->local_ip);

	if (seq >= 0) {
		printf("client: echo reply %d from the server, %zu bytes\n", seq, len);
		cl->answered++;
	}
}

static const struct uppp_dial_ops client_ops = {
	.send_frame = client_send_frame,
	.random = fill_random,
	.up = client_up,
	.down = client_down,
	.deliver_ip = client_deliver_ip,
};

/* Feeds one frame waiting on fd to its engine; false when none could be read. */
static bool read_frame(int fd, uint8_t *buf, size_t cap, size_t *len)
{
	ssize_t n = read(fd, buf, cap);

	if (n <= 0)
		return false;
	*len = (size_t)n;
	return true;
}

int main(int argc, char **argv)
{
	struct uppp_ac_config acfg = { .mac = { 2, 0, 0, 0, 0, 1 }, .ac_name = "example" };
	struct uppp_dial_config dcfg = { .mac = { 2, 0, 0, 0, 0, 2 }, .service = "" };
	struct server sv = { 0 };
	struct client cl = { 0 };
	unsigned pings = 3;
	uint64_t give_up;
	uint8_t frame[1600];
	int fds[2], status = 1;

	if (argc > 2 || (argc == 2 && (pings = (unsigned)strtoul(argv[1], NULL, 10)) == 0)) {
		fprintf(stderr, "usage: %s [PINGS]   (PINGS > 0, default 3)\n", argv[0]);
		return 2;
	}
	/* A datagram socketpair keeps frame boundaries, as Ethernet does. */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, fds) < 0) {
		perror("client_callback: socketpair");
		return 1;
	}
	sv.fd = fds[0];
	cl.fd = fds[1];

	/* The server: CHAP-MD5, our end 10.0.0.1, sized for a handful of
	 * sessions (small tables: a few KiB). */
	uppp_ppp_config_defaults(&acfg.ppp);
	acfg.ppp.auth = UPPP_AUTH_CHAP_MD5;
	acfg.ppp.local_ip = SERVER_IP;
	acfg.max_sessions = 4;
	acfg.rate_sets = 4;
	sv.ac = uppp_ac_new(&acfg, &server_ops, &sv);

	/* The client: alice, any service. */
	uppp_ppp_config_defaults(&dcfg.ppp);
	dcfg.ppp.name = "alice";
	dcfg.ppp.password = "wonderland";
	cl.dial = uppp_dial_new(&dcfg, &client_ops, &cl);
	if (!sv.ac || !cl.dial) {
		fprintf(stderr, "client_callback: out of memory\n");
		goto out;
	}

	uppp_dial_start(cl.dial, now_ms());
	/* Only a guard against a hang: every step below waits for its event. */
	give_up = now_ms() + 30000;
	while (!cl.down || sv.sessions_ended == 0) {
		struct pollfd p[2] = { { .fd = sv.fd, .events = POLLIN }, { .fd = cl.fd, .events = POLLIN } };
		uint64_t now = now_ms(), next = uppp_ac_next_deadline(sv.ac);
		size_t len;
		int timeout;

		if (uppp_dial_next_deadline(cl.dial) < next)
			next = uppp_dial_next_deadline(cl.dial);
		if (next > give_up)
			next = give_up;
		timeout = next <= now ? 0 : (int)(next - now);
		if (poll(p, 2, timeout) < 0 && errno != EINTR) {
			perror("client_callback: poll");
			goto out;
		}
		now = now_ms();
		if (now >= give_up) {
			fprintf(stderr, "client_callback: no end after 30 s\n");
			goto out;
		}
		if ((p[0].revents & POLLIN) && read_frame(sv.fd, frame, sizeof(frame), &len))
			uppp_ac_input(sv.ac, frame, len, now);
		if (sv.reply_sess) {
			struct uppp_ac_session *s = uppp_ac_session_find(sv.ac, sv.reply_sess);

			if (s)
				(void)uppp_ac_send_ip(sv.ac, s, sv.reply, sizeof(sv.reply), now);
			sv.reply_sess = 0;
		}
		if ((p[1].revents & POLLIN) && read_frame(cl.fd, frame, sizeof(frame), &len))
			uppp_dial_input(cl.dial, frame, len, now);
		uppp_ac_run_timers(sv.ac, now);
		uppp_dial_run_timers(cl.dial, now);

		/* One ping at a time; hang up once the last one is answered. */
		if (cl.up && cl.sent == cl.answered && cl.sent < pings) {
			uint8_t pkt[64];

			icmp_echo(pkt, 8, cl.local_ip, cl.peer_ip, cl.sent);
			if (uppp_dial_send_ip(cl.dial, pkt, sizeof(pkt), now) == 0)
				cl.sent++;
		} else if (cl.up && cl.answered == pings) {
			uppp_dial_hangup(cl.dial, UPPP_CAUSE_ADMIN, now);
			cl.up = false;
		}
	}
	if (cl.answered == pings && cl.cause == UPPP_CAUSE_ADMIN) {
		printf("client_callback: %u of %u pings answered, session ended cleanly\n", cl.answered, pings);
		status = 0;
	} else {
		fprintf(stderr, "client_callback: %u of %u pings answered, client ended with %s\n", cl.answered,
			pings, uppp_cause_name(cl.cause));
	}
out:
	uppp_dial_free(cl.dial);
	if (sv.ac)
		uppp_ac_free(sv.ac);
	close(fds[0]);
	close(fds[1]);
	return status;
}
