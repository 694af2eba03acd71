/* proto/ac_reconfigure.c — uppp_ac_reconfigure() (uppp/ac.h): a new
 * configuration for discovery and new sessions; the sessions already there
 * keep a copy of the PPP template they began with (struct
 * uppp_ac_template, proto/ac_impl.h), freed with the last of them in
 * uppp_ac_sess_free(). */
#include "proto/ac_impl.h"

#include <errno.h>
#include <string.h>

#include "core/alloc.h"
#include "core/logger.h"

/* A copy of ppp with its strings, for the sessions that began under it. */
static struct uppp_ac_template *template_copy(struct uppp_ac *ac, const struct uppp_ppp_config *ppp)
{
	size_t nl = ppp->name ? strlen(ppp->name) + 1 : 0, pl = ppp->password ? strlen(ppp->password) + 1 : 0;
	size_t size = sizeof(struct uppp_ac_template) + nl + pl;
	struct uppp_ac_template *t = uppp_mem_calloc(ac->alloc, 1, size);

	if (!t)
		return NULL;
	t->ppp = *ppp;
	t->size = size;
	if (nl) {
		memcpy(t->strings, ppp->name, nl);
		t->ppp.name = t->strings;
	}
	if (pl) {
		memcpy(t->strings + nl, ppp->password, pl);
		t->ppp.password = t->strings + nl;
	}
	return t;
}

int uppp_ac_reconfigure(struct uppp_ac *ac, const struct uppp_ac_config *cfg)
{
	const struct uppp_ac_config *old = ac->cfg;
	unsigned max = cfg->max_sessions && cfg->max_sessions < UPPP_AC_MAX_SESSIONS ? cfg->max_sessions
										  : UPPP_AC_MAX_SESSIONS;
	size_t sets = cfg->rate_sets ? cfg->rate_sets : UPPP_AC_RATE_SETS;
	size_t old_sets = old->rate_sets ? old->rate_sets : UPPP_AC_RATE_SETS;

	if (ac->depth)
		return -EBUSY;   /* sessions may be half-way through a change */
	if (!mac_eq(cfg->mac, old->mac) || max != ac->max_sessions || sets != old_sets || cfg->alloc != ac->alloc)
		return -EINVAL;  /* what sized the AC or names it on the wire */
	struct uppp_ac_template *t = NULL;
	for (struct uppp_ac_session *s = ac->all; s; s = s->all_next) {
		if (s->tmpl)
			continue;   /* already on a kept template of its own */
		if (!t && !(t = template_copy(ac, &old->ppp)))
			return -ENOMEM;   /* nothing changed yet */
		t->refs++;
	}
	/* Every session on the current template moves to the copy: the same
	 * values, only no longer in memory the caller may now free. */
	for (struct uppp_ac_session *s = ac->all; t && s; s = s->all_next) {
		if (s->tmpl)
			continue;
		s->tmpl = t;
		s->ps.ppp.env.cfg = &t->ppp;
		if (s->ps.ppp.auth && s->ps.ppp.auth->our_name == old->ppp.name && t->ppp.name)
			s->ps.ppp.auth->our_name = t->ppp.name;
		if (s->ps.ppp.auth && s->ps.ppp.auth->password == old->ppp.password && t->ppp.password)
			s->ps.ppp.auth->password = t->ppp.password;
	}
	ac->cfg = cfg;
	ac_log(ac, UPPP_LOG_INFO, "layer=pppoe event=reconfigured sessions=%zu kept-template=%s", ac->n_sessions,
	       t ? "yes" : "no");
	return 0;
}
