// SPDX-License-Identifier: GPL-2.0
/*
 * trace.c - the one unit that instantiates the tracepoints of trace.h
 * (CREATE_TRACE_POINTS); ctrl.h comes first so that the event bodies see
 * the complete structures.
 */
#include "ctrl.h"

#define CREATE_TRACE_POINTS
#include "trace.h"
