/* config/listen_addr.c — ADDR:PORT (config/listen_addr.h). */
#include "config/listen_addr.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "config/args.h"

static int fail(char *err, size_t errlen, const char *why)
{
	snprintf(err, errlen, "%s", why);
	return -EINVAL;
}

int uppp_listen_addr_parse(const char *s, struct sockaddr_storage *sa, socklen_t *len, char *err, size_t errlen)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *port;
	size_t hlen;
	unsigned p;

	memset(sa, 0, sizeof(*sa));
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (!close || close[1] != ':')
			return fail(err, errlen, "an IPv6 address is written [ADDR]:PORT");
		hlen = (size_t)(close - s - 1);
		if (hlen == 0 || hlen >= sizeof(host))
			return fail(err, errlen, "not an IPv6 address between [ and ]");
		memcpy(host, s + 1, hlen);
		host[hlen] = '\0';
		port = close + 2;
	} else {
		const char *colon = strrchr(s, ':');
		if (!colon)
			return fail(err, errlen, "no port: write ADDR:PORT (e.g. 127.0.0.1:9100)");
		if (strchr(s, ':') != colon)
			return fail(err, errlen, "an IPv6 address is written [ADDR]:PORT");
		hlen = (size_t)(colon - s);
		if (hlen == 0)
			return fail(err, errlen, "no address: write ADDR:PORT (e.g. 127.0.0.1:9100; 0.0.0.0:PORT "
				    "for every address)");
		if (hlen >= sizeof(host))
			return fail(err, errlen, "not an IPv4 address (names are not looked up)");
		memcpy(host, s, hlen);
		host[hlen] = '\0';
		port = colon + 1;
	}
	/* digits only: strtoul under uppp_cli_parse_uint would skip blanks and a '+' */
	if (!isdigit((unsigned char)port[0]) || uppp_cli_parse_uint(port, 65535, &p) || p == 0)
		return fail(err, errlen, "the port is a number from 1 to 65535");
	if (s[0] == '[') {
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)sa;
		if (inet_pton(AF_INET6, host, &a6->sin6_addr) != 1)
			return fail(err, errlen, "not an IPv6 address between [ and ]");
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)p);
		*len = sizeof(*a6);
	} else {
		struct sockaddr_in *a4 = (struct sockaddr_in *)sa;
		if (inet_pton(AF_INET, host, &a4->sin_addr) != 1)
			return fail(err, errlen, "not an IPv4 address (names are not looked up)");
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)p);
		*len = sizeof(*a4);
	}
	return 0;
}
