/*
 * The exported detector, compiled with this sketch's setting (edgespike_ecg_config.h). The
 * Arduino IDE compiles the .c files beside the .ino but not those in subfolders, so the
 * generated file (edgespike_ecg/, from `edgespike export-c`, never edited by hand) is
 * compiled through this one.
 */
#include "edgespike_ecg_config.h"
#include "edgespike_ecg/edgespike_ecg.c"
