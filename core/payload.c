// SPDX-License-Identifier: MIT
/*
 * The payloads are the smallest requests each service answers, as nmap's
 * nmap-payloads and masscan's templates send them. Echoed cookie fields:
 *
 *   DNS       header ID (2 bytes)            = low 16 cookie bits
 *   NetBIOS   transaction ID (2 bytes)       = low 16 cookie bits
 *   memcached UDP frame request ID (2 bytes) = low 16 cookie bits
 *   SNMP      request-id (INTEGER, 4 bytes)  = low 31 cookie bits (kept positive)
 *   NTP       transmit timestamp (8 bytes)   = the whole cookie, back as origin
 *
 * With the source port (8 bits of the cookie over the default 256 ports),
 * a forged DNS answer must guess 24 bits, and a forged NTP one 72.
 */
#include "payload.h"

#include <string.h>

#include "packet.h"

#define DNS_QR		 0x80 /* in the first flags byte */
#define NTP_BYTES	 48
#define NTP_MODE_CLIENT	 3
#define NTP_MODE_SERVER	 4
#define SNMP_REQID_OFF	 17 /* offset of the 4 request-id bytes in snmp_get[] */
#define BER_SEQUENCE	 0x30
#define BER_INTEGER	 0x02
#define BER_OCTETS	 0x04
#define SNMP_GETRESPONSE 0xa2

/* version.bind CH TXT, ID zero. */
static const uint8_t dns_query[] = {
	0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 7,    'v',  'e',
	'r',  's',  'i',  'o',	'n',  4,    'b',  'i',	'n',  'd',  0,	  0x00, 0x10, 0x00, 0x03,
};

/* NBSTAT for the wildcard name "*", transaction ID zero. */
static const uint8_t netbios_query[] = {
	0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20,
	'C',  'K',  'A',  'A',	'A',  'A',  'A',  'A',	'A',  'A',  'A',  'A',	'A',
	'A',  'A',  'A',  'A',	'A',  'A',  'A',  'A',	'A',  'A',  'A',  'A',	'A',
	'A',  'A',  'A',  'A',	'A',  'A',  0x00, 0x00, 0x21, 0x00, 0x01,
};

/* SNMPv2c GetRequest, community "public", sysDescr.0 (1.3.6.1.2.1.1.1.0), request-id zero. */
static const uint8_t snmp_get[] = {
	0x30, 0x29, 0x02, 0x01, 0x01, 0x04, 0x06, 'p',	'u',  'b',  'l',  'i',	'c',  0xa0, 0x1c,
	0x02, 0x04, 0x00, 0x00, 0x00, 0x00, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x0e, 0x30,
	0x0c, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00, 0x05, 0x00,
};

static const char ssdp_search[] = "M-SEARCH * HTTP/1.1\r\n"
				  "HOST: 239.255.255.250:1900\r\n"
				  "MAN: \"ssdp:discover\"\r\n"
				  "MX: 1\r\n"
				  "ST: ssdp:all\r\n\r\n";

/* The UDP frame header (request ID, sequence 0, 1 datagram, reserved), then the command. */
static const uint8_t memcached_stats[] = {0,   0,   0,	 0,   0,   1,	 0,   0,
					  's', 't', 'a', 't', 's', '\r', '\n'};

enum payload_kind payload_kind_of(uint16_t port)
{
	switch (port) {
	case 53:
		return PAYLOAD_DNS;
	case 123:
		return PAYLOAD_NTP;
	case 137:
		return PAYLOAD_NETBIOS;
	case 161:
		return PAYLOAD_SNMP;
	case 1900:
		return PAYLOAD_SSDP;
	case 11211:
		return PAYLOAD_MEMCACHED;
	}
	return PAYLOAD_EMPTY;
}

static uint32_t payload_snmp_reqid(uint64_t cookie)
{
	return (uint32_t)cookie & 0x7fffffff;
}

size_t payload_len(uint16_t dst_port)
{
	switch (payload_kind_of(dst_port)) {
	case PAYLOAD_DNS:
		return sizeof(dns_query);
	case PAYLOAD_NTP:
		return NTP_BYTES;
	case PAYLOAD_NETBIOS:
		return sizeof(netbios_query);
	case PAYLOAD_SNMP:
		return sizeof(snmp_get);
	case PAYLOAD_SSDP:
		return sizeof(ssdp_search) - 1;
	case PAYLOAD_MEMCACHED:
		return sizeof(memcached_stats);
	case PAYLOAD_EMPTY:
		break;
	}
	return 0;
}

size_t payload_build(uint16_t dst_port, uint64_t cookie, uint8_t *buf)
{
	size_t len = payload_len(dst_port);

	switch (payload_kind_of(dst_port)) {
	case PAYLOAD_DNS:
		memcpy(buf, dns_query, len);
		be16_write(buf, (uint16_t)cookie);
		break;
	case PAYLOAD_NTP:
		memset(buf, 0, len);
		buf[0] = (4 << 3) | NTP_MODE_CLIENT; /* leap 0, version 4, client */
		be32_write(buf + 40, (uint32_t)(cookie >> 32));
		be32_write(buf + 44, (uint32_t)cookie);
		break;
	case PAYLOAD_NETBIOS:
		memcpy(buf, netbios_query, len);
		be16_write(buf, (uint16_t)cookie);
		break;
	case PAYLOAD_SNMP:
		memcpy(buf, snmp_get, len);
		be32_write(buf + SNMP_REQID_OFF, payload_snmp_reqid(cookie));
		break;
	case PAYLOAD_SSDP:
		memcpy(buf, ssdp_search, len);
		break;
	case PAYLOAD_MEMCACHED:
		memcpy(buf, memcached_stats, len);
		be16_write(buf, (uint16_t)cookie);
		break;
	case PAYLOAD_EMPTY:
		break;
	}
	return len;
}

/*
 * Reads one BER element at *p (before end): its tag, and its contents as
 * [*content, *content + *clen). Definite lengths only, short or long form up
 * to 4 length bytes. Returns false if anything lies outside [*p, end).
 */
static bool payload_ber_next(const uint8_t **p, const uint8_t *end, uint8_t *tag,
			     const uint8_t **content, size_t *clen)
{
	const uint8_t *q = *p;
	size_t len;

	if (end - q < 2)
		return false;
	*tag = q[0];
	len = q[1];
	q += 2;
	if (len & 0x80) {
		unsigned nbytes = len & 0x7f;

		if (nbytes == 0 || nbytes > 4 || (size_t)(end - q) < nbytes)
			return false;
		len = 0;
		while (nbytes--)
			len = (len << 8) | *q++;
	}
	if ((size_t)(end - q) < len)
		return false;
	*content = q;
	*clen = len;
	*p = q + len;
	return true;
}

/* True if an SNMP GetResponse carries request-id reqid. */
static bool payload_snmp_matches(const uint8_t *reply, size_t len, uint32_t reqid)
{
	const uint8_t *p = reply, *end = reply + len, *c;
	size_t clen;
	uint8_t tag;
	uint64_t v = 0;

	/* Message SEQUENCE { version INTEGER, community OCTET STRING, PDU { request-id ... } } */
	if (!payload_ber_next(&p, end, &tag, &c, &clen) || tag != BER_SEQUENCE)
		return false;
	p = c;
	end = c + clen;
	if (!payload_ber_next(&p, end, &tag, &c, &clen) || tag != BER_INTEGER)
		return false;
	if (!payload_ber_next(&p, end, &tag, &c, &clen) || tag != BER_OCTETS)
		return false;
	if (!payload_ber_next(&p, end, &tag, &c, &clen) || tag != SNMP_GETRESPONSE)
		return false;
	p = c;
	end = c + clen;
	if (!payload_ber_next(&p, end, &tag, &c, &clen) || tag != BER_INTEGER || clen == 0 ||
	    clen > 5)
		return false;
	for (size_t i = 0; i < clen; i++)
		v = (v << 8) | c[i];
	return v == reqid;
}

bool payload_reply_matches(uint16_t dst_port, uint64_t cookie, const uint8_t *reply, size_t len)
{
	switch (payload_kind_of(dst_port)) {
	case PAYLOAD_DNS:
		return len >= 12 && be16_read(reply) == (uint16_t)cookie && (reply[2] & DNS_QR);
	case PAYLOAD_NETBIOS:
		return len >= 12 && be16_read(reply) == (uint16_t)cookie && (reply[2] & DNS_QR);
	case PAYLOAD_MEMCACHED:
		return len >= 8 && be16_read(reply) == (uint16_t)cookie;
	case PAYLOAD_NTP:
		return len >= NTP_BYTES && (reply[0] & 7) == NTP_MODE_SERVER &&
		       be32_read(reply + 24) == (uint32_t)(cookie >> 32) &&
		       be32_read(reply + 28) == (uint32_t)cookie;
	case PAYLOAD_SNMP:
		return payload_snmp_matches(reply, len, payload_snmp_reqid(cookie));
	case PAYLOAD_SSDP:
	case PAYLOAD_EMPTY:
		break;
	}
	return true;
}
