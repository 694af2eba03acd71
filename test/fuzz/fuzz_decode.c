/* fuzz_decode.c — the `debug` packet decoder (proto/decode.c).
 *
 * Input: one byte choosing the output size, then an Ethernet frame (also
 * decoded as a bare PPP packet and as discovery tags). Oracles: the line is
 * NUL-terminated inside the buffer, nothing is written past `cap` (a guard
 * after it stays intact), and it holds only printable ASCII: every peer
 * string reaches the log escaped. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "proto/decode.h"

#define GUARD 32

static void check_line(char *buf, size_t cap)
{
	size_t n = strnlen(buf, cap);
	FUZZ_CHECK(n < cap);
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(buf[i] >= 0x20 && buf[i] < 0x7f);
	for (size_t i = 0; i < GUARD; i++)
		FUZZ_CHECK((unsigned char)buf[cap + i] == 0xa5);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	/* a small buffer exercises truncation; the full one the whole line */
	size_t cap = data[0] & 1 ? (size_t)data[0] % 64 + 1 : UPPP_DECODE_LINE_MAX;
	size_t len = size - 1;
	uint8_t *pkt = malloc(len ? len : 1);   /* exact size: ASan sees any over-read */
	char *buf = malloc(cap + GUARD);
	FUZZ_CHECK(pkt && buf);
	memcpy(pkt, data + 1, len);

	memset(buf, 0xa5, cap + GUARD);
	uppp_decode_frame(pkt, len, buf, cap);
	check_line(buf, cap);

	memset(buf, 0xa5, cap + GUARD);
	uppp_decode_ppp(pkt, len, buf, cap);
	check_line(buf, cap);

	if (len >= 3) {  /* code, session id, then tags */
		memset(buf, 0xa5, cap + GUARD);
		uppp_decode_discovery(pkt[0], (uint16_t)(pkt[1] << 8 | pkt[2]), pkt + 3, len - 3, buf, cap);
		check_line(buf, cap);
	}
	free(buf);
	free(pkt);
	return 0;
}
