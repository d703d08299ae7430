/*
 * What this machine's memory and a plain C loop allow for one neuron step, as a yardstick for
 * bench/forward.sh. For each size and kernel, the neuron-steps per second and the bytes per second
 * the step must move (its arrays read and written once each):
 *
 *   exact  spike = current > 0                      4 B in, 1 B out:              5 B/neuron
 *   lif    the LIF step with refractory periods    current, voltage, refrac in;
 *                                                  voltage, refrac, spike out:    21 B/neuron
 *   alif   the LIF step plus one adaptation        and the adaptation in and out: 29 B/neuron
 *   stream the LIF step's traffic with no arithmetic to speak of (v += x, r -= x, s = x > 0):
 *          the rate this access pattern gets from memory alone, the machine's limit for it
 *
 * The lif and alif loops do the model's arithmetic in float32 (they are the reference's step in
 * C, without its exactness concerns). They need not reach the memory's limit: on a machine with
 * fast memory, gcc's code for their selects is the bound. The stream loop moves the LIF step's 21
 * bytes per neuron with one add or compare per array, so over 1e8 neurons (2.1 GB, far beyond the
 * caches) with 2 threads its "bytes_per_s" is the memory bandwidth bench/forward.sh compares a
 * step against. Threads: OMP_NUM_THREADS (OpenMP static schedule over the neurons).
 *
 * Build: gcc -O3 -march=native -fopenmp memory_limit.c -o memory_limit
 * Run:   OMP_NUM_THREADS=2 ./memory_limit exact|lif|alif|stream 100 10000 1000000 10000000
 * Prints one line per size: kernel=K size=N neuron_steps_per_s=X bytes_per_s=Y us_per_step=Z
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void *alloc(long bytes) {
    void *p = aligned_alloc(64, ((bytes + 63) / 64) * 64);
    if (!p) { perror("aligned_alloc"); exit(1); }
    return p;
}

static void exact_step(long n, const float *x, unsigned char *s) {
#pragma omp parallel for schedule(static) if (n >= 100000)
    for (long i = 0; i < n; i++) s[i] = x[i] > 0.0f;
}

static void stream_step(long n, const float *x, float *v, float *r, unsigned char *s) {
#pragma omp parallel for schedule(static) if (n >= 100000)
    for (long i = 0; i < n; i++) {
        float xi = x[i];
        v[i] += xi;
        r[i] -= xi;
        s[i] = xi > 0.0f;
    }
}

static void lif_step(long n, const float *x, float *v, float *r, unsigned char *s, float *a) {
    const float dt = 1.0f, rest = -65.0f, reset = -70.0f, thresh = -50.0f, period = 2.0f;
    const float decay = 0.95122942f, ohms = 1.0f, tc = 0.99f, inc = 1.0f;
#pragma omp parallel for schedule(static) if (n >= 100000)
    for (long i = 0; i < n; i++) {
        float left = r[i] - dt;
        left = left < 0.0f ? 0.0f : left;
        float theta = a ? thresh + a[i] : thresh;
        float ext = ohms * x[i];
        float next = (rest + ((v[i] - rest) - ext) * decay) + ext;
        int spike = left == 0.0f && next >= theta;
        v[i] = spike ? reset : (left == 0.0f ? next : v[i]);
        r[i] = spike ? period : left;
        s[i] = (unsigned char) spike;
        if (a) a[i] = (r[i] > 0.0f ? a[i] : a[i] * tc) + inc * spike;
    }
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s exact|lif|alif|stream SIZE...\n", argv[0]);
        return 2;
    }
    const char *kernel = argv[1];
    int alif = !strcmp(kernel, "alif"), lif = alif || !strcmp(kernel, "lif");
    int stream = !strcmp(kernel, "stream");
    if (!lif && !stream && strcmp(kernel, "exact")) {
        fprintf(stderr, "unknown kernel %s\n", kernel);
        return 2;
    }
    double bytes_per_neuron = alif ? 29 : lif || stream ? 21 : 5;
    for (int arg = 2; arg < argc; arg++) {
        long n = atol(argv[arg]);
        float *x = alloc(n * 4), *v = alloc(n * 4), *r = alloc(n * 4), *a = alloc(n * 4);
        unsigned char *s = alloc(n);
        srand(1);
        for (long i = 0; i < n; i++) {
            x[i] = 30.0f * ((float) rand() / RAND_MAX - 0.3f);
            v[i] = -65.0f;
            r[i] = 0.0f;
            a[i] = 0.0f;
            s[i] = 0;
        }
        long steps = 0, spikes = 0;
        double t0 = now(), t;
        do {
            for (int k = 0; k < 10; k++) {
                if (lif) lif_step(n, x, v, r, s, alif ? a : NULL);
                else if (stream) stream_step(n, x, v, r, s);
                else exact_step(n, x, s);
            }
            steps += 10;
            t = now();
        } while (t - t0 < 1.5);
        for (long i = 0; i < n; i++) spikes += s[i];  /* keeps the work observable */
        double rate = n * (double) steps / (t - t0);
        printf("kernel=%s size=%ld neuron_steps_per_s=%.3e bytes_per_s=%.3e us_per_step=%.3f "
               "spikes=%ld\n", kernel, n, rate, rate * bytes_per_neuron, (t - t0) / steps * 1e6,
               spikes);
        free(x); free(v); free(r); free(a); free(s);
    }
    return 0;
}
