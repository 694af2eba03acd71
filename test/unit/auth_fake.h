/* test/unit/auth_fake.h — the fake host for the PAP, CHAP and MS-CHAPv2
 * tests: records what is sent and logged, serves fixed random bytes and one
 * user's secret. Included by exactly one test file per executable. */
#ifndef UPPP_TEST_AUTH_FAKE_H
#define UPPP_TEST_AUTH_FAKE_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "auth/auth.h"

#define MAX_SENT 16
#define MAX_LOGS 32

struct fake {
	uint16_t proto[MAX_SENT];
	uint8_t sent[MAX_SENT][600];
	size_t sent_len[MAX_SENT];
	int n_sent;
	uint8_t rnd[64];
	size_t rnd_len, rnd_pos;
	char logs[MAX_LOGS][1400];
	int n_logs;
	struct uppp_logger logger;  /* fake_logger(): records every line in logs */
	const char *user;      /* the one client with a secret; NULL: none */
	const char *secret;
	int get_secret_calls;
	char last_lookup[300];
};

static void fake_send(void *ctx, uint16_t protocol, const uint8_t *info, size_t len)
{
	struct fake *f = ctx;

	assert_true(f->n_sent < MAX_SENT);
	assert_true(len <= sizeof(f->sent[0]));
	f->proto[f->n_sent] = protocol;
	memcpy(f->sent[f->n_sent], info, len);
	f->sent_len[f->n_sent] = len;
	f->n_sent++;
}

static int fake_random(void *ctx, void *buf, size_t len)
{
	struct fake *f = ctx;
	uint8_t *b = buf;

	for (size_t i = 0; i < len; i++)
		b[i] = f->rnd_len ? f->rnd[f->rnd_pos++ % f->rnd_len] : 0;
	return 0;
}

static void fake_emit(void *ud, enum uppp_log_level level, const char *line)
{
	struct fake *f = ud;

	(void)level;
	if (f->n_logs >= MAX_LOGS)
		return;
	snprintf(f->logs[f->n_logs], sizeof(f->logs[0]), "%s", line);
	f->n_logs++;
}

/* The logger an engine under test logs through: every level, into f->logs
 * ("layer=pap event=..."). */
static const struct uppp_logger *fake_logger(struct fake *f)
{
	f->logger = (struct uppp_logger){ .min = UPPP_LOG_DEBUG, .emit = fake_emit, .ud = f };
	return &f->logger;
}

static int fake_get_secret(void *ctx, const char *peer_name, uint8_t *secret, size_t cap, size_t *len)
{
	struct fake *f = ctx;

	f->get_secret_calls++;
	snprintf(f->last_lookup, sizeof(f->last_lookup), "%s", peer_name);
	if (!f->user || strcmp(peer_name, f->user) != 0)
		return -ENOENT;
	*len = strlen(f->secret);
	assert_true(*len <= cap);
	memcpy(secret, f->secret, *len);
	return 0;
}

static const struct uppp_auth_ops fake_ops = {
	.send = fake_send,
	.random = fake_random,
	.get_secret = fake_get_secret,
};

static bool logged(const struct fake *f, const char *needle)
{
	for (int i = 0; i < f->n_logs; i++)
		if (strstr(f->logs[i], needle))
			return true;
	return false;
}

#endif
