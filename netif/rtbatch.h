/* netif/rtbatch.h — host routes added and deleted in batches.
 *
 * netif/nl.h makes one request at a time and waits for its answer: two
 * system calls and libnl's objects per route, ~9 us on the test machine.
 * Here requests are queued and sent many in one send(); the kernel handles
 * them in order during that call and queues one short answer for each, which
 * are then read with one recvmmsg(): ~2 us per route added, ~1.3 us deleted
 * (test/kernel/test_sessif.c prints both). The requests are built here,
 * without libnl: libnl sends each message alone.
 *
 * A queued request has a tag of the caller's; the answers of tagged requests
 * the kernel refused are reported, with the tag, to a callback. Routes are
 * the same as uppp_nl_route_add / uppp_nl_route_del make. Returns 0 or
 * -errno; nothing prints. Not thread-safe. */
#ifndef UPPP_NETIF_RTBATCH_H
#define UPPP_NETIF_RTBATCH_H

#include <stddef.h>
#include <stdint.h>

struct uppp_rtbatch;

/* Requests one batch holds. Their answers must fit in the socket's receive
 * buffer at once (the kernel drops what does not): 128 short answers take
 * ~100 KB of the default 208 KB. */
#define UPPP_RTBATCH_MAX 128

/* Opens the batch's own rtnetlink socket. err says why it failed. */
int uppp_rtbatch_open(struct uppp_rtbatch **out, char *err, size_t errcap);
/* Closes it; queued requests are dropped, unsent. NULL is allowed. */
void uppp_rtbatch_close(struct uppp_rtbatch *b);

/* Queues `ip route add PEER/32 dev IF src LOCAL mtu MTU` (main table,
 * scope link; src and mtu left out when 0), refused with -EEXIST when a route
 * to PEER/32 exists at that point of the batch. -ENOBUFS when the batch is
 * full (send it first). */
int uppp_rtbatch_route_add(struct uppp_rtbatch *b, int ifindex, uint32_t peer_ip, uint32_t local_ip,
			   unsigned mtu, void *tag);
/* Queues `ip route del PEER/32 dev IF` of a route made as above. Its answer
 * is not reported (the route may be gone with its device). -ENOBUFS: full. */
int uppp_rtbatch_route_del(struct uppp_rtbatch *b, int ifindex, uint32_t peer_ip);

/* The batch's socket (tests shrink its receive buffer to lose answers). */
int uppp_rtbatch_fd(const struct uppp_rtbatch *b);

/* Requests queued and not sent yet. */
size_t uppp_rtbatch_queued(const struct uppp_rtbatch *b);
/* Batches sent so far (send() made, answers read) and the requests in them. */
void uppp_rtbatch_counts(const struct uppp_rtbatch *b, uint64_t *batches, uint64_t *requests);
/* The answers of tag's requests, queued or being reported, are not reported
 * (the tag's owner is gone). */
void uppp_rtbatch_forget(struct uppp_rtbatch *b, const void *tag);

/* err: the kernel's answer (-errno), or the error that kept the answer from
 * coming back (-ENOBUFS, -ETIMEDOUT: the request may have been carried out). */
typedef void uppp_rtbatch_fail_fn(void *ctx, void *tag, int err);

/* Sends every queued request in one send() and reads every answer. fail
 * runs for each tagged request that failed, after all answers are read; it
 * may queue and forget (a send from it sends nothing: what it queued goes
 * with the next). Returns the number of failed tagged
 * requests (0 when nothing was queued: no system call), or -errno when the
 * send itself failed (each tagged request is then reported with it). */
int uppp_rtbatch_send(struct uppp_rtbatch *b, uppp_rtbatch_fail_fn *fail, void *ctx);

#endif
