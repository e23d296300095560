/*
 * qr.c - a QR code (libqrencode) drawn as SVG: one path of unit squares,
 * with the 4-module quiet zone the standard asks for, crisp at any size.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "srv.h"

/* Quiet zone in modules (ISO/IEC 18004 asks for 4). */
#define QR_MARGIN 4
/* Longest text encoded: a share URL is < 200 bytes; version 40 holds
 * ~2,300 bytes at level M, so this bounds the work and the output. */
#define QR_TEXT_MAX 1024u

char *srv_qr_svg(const char *text, size_t *len)
{
	if (!text || strlen(text) > QR_TEXT_MAX)
		return NULL;
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		return NULL;
	int w = q->width, size = w + 2 * QR_MARGIN;
	/* worst case: every module dark, "M%d %dh1v1h-1z" <= 24 bytes each */
	size_t cap = (size_t)w * (size_t)w * 24 + 512, n = 0;
	char *out = malloc(cap);
	if (!out) {
		QRcode_free(q);
		return NULL;
	}
	n += (size_t)snprintf(out + n, cap - n,
	                      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\">"
	                      "<title>QR code</title><rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
	                      size, size);
	for (int y = 0; y < w; y++)
		for (int x = 0; x < w; x++)
			if (q->data[y * w + x] & 1) /* bit 0: dark module */
				n += (size_t)snprintf(out + n, cap - n, "M%d %dh1v1h-1z", x + QR_MARGIN, y + QR_MARGIN);
	n += (size_t)snprintf(out + n, cap - n, "\"/></svg>\n");
	QRcode_free(q);
	*len = n;
	return out;
}
