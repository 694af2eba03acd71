/* netif/sessif.c — one non-persistent TUN per session. */
#include "netif/sessif.h"

#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "netif/nl.h"
#include "netif/seterr.h"
#include "netif/tun.h"

struct uppp_sessif {
	struct uppp_tun *tun;
	struct uppp_sessif *prev, *next;  /* the pool's list of acquired ones */
};

struct uppp_sessif_pool {
	struct uppp_nl *nl;
	struct uppp_sessif *head;
	char pattern[IFNAMSIZ];
};

int uppp_sessif_pool_new(struct uppp_sessif_pool **out, const char *name_pattern, char *err,
			 size_t errcap)
{
	struct uppp_sessif_pool *p;
	int rc;

	*out = NULL;
	if (name_pattern == NULL || name_pattern[0] == '\0' ||
	    strlen(name_pattern) >= IFNAMSIZ) {
		uppp_seterr(err, errcap, "interface name pattern empty or longer than %d characters",
		       IFNAMSIZ - 1);
		return -EINVAL;
	}
	p = calloc(1, sizeof(*p));
	if (p == NULL) {
		uppp_seterr(err, errcap, "out of memory");
		return -ENOMEM;
	}
	memcpy(p->pattern, name_pattern, strlen(name_pattern) + 1);
	rc = uppp_nl_open(&p->nl, err, errcap);
	if (rc < 0) {
		free(p);
		return rc;
	}
	*out = p;
	return 0;
}

void uppp_sessif_pool_free(struct uppp_sessif_pool *p)
{
	if (p == NULL)
		return;
	while (p->head != NULL)
		uppp_sessif_release(p, p->head);
	uppp_nl_close(p->nl);
	free(p);
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
	rc = uppp_tun_open(&s->tun, p->pattern, err, errcap);
	if (rc < 0) {
		free(s);
		return rc;
	}
	rc = uppp_nl_configure_p2p(p->nl, uppp_tun_ifindex(s->tun), local_ip, peer_ip, mtu, err,
				   errcap);
	if (rc < 0) {
		uppp_tun_close(s->tun);  /* deletes the device with its addresses */
		free(s);
		return rc;
	}
	s->next = p->head;
	if (p->head != NULL)
		p->head->prev = s;
	p->head = s;
	*out = s;
	return 0;
}

void uppp_sessif_release(struct uppp_sessif_pool *p, struct uppp_sessif *s)
{
	if (s == NULL)
		return;
	if (s->prev != NULL)
		s->prev->next = s->next;
	else
		p->head = s->next;
	if (s->next != NULL)
		s->next->prev = s->prev;
	uppp_tun_close(s->tun);
	free(s);
}

int uppp_sessif_fd(const struct uppp_sessif *s) { return uppp_tun_fd(s->tun); }
const char *uppp_sessif_name(const struct uppp_sessif *s) { return uppp_tun_name(s->tun); }

ssize_t uppp_sessif_read(struct uppp_sessif *s, uint8_t *buf, size_t cap)
{
	return uppp_tun_read(s->tun, buf, cap);
}

int uppp_sessif_write(struct uppp_sessif *s, const uint8_t *pkt, size_t len)
{
	return uppp_tun_write(s->tun, pkt, len);
}
