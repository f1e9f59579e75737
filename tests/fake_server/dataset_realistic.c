/*
 * A data set that reads like a team's training jobs, for the demo and the
 * benchmarks: model and data set names, mostly finished jobs with a few
 * running, queued and failed ones, durations of minutes to days.
 */
#include "fake_server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TIME_START    1704067200000LL /* 2024-01-01T00:00:00Z */
#define MS_PER_MINUTE 60000LL

static const char *const MODELS[] = {"resnet50", "bert-base",   "yolov8",        "vit-b16",         "llama2-7b-lora",
                                     "unet",     "mobilenetv3", "whisper-small", "efficientnet-b4", "t5-large"};
static const char *const DATASETS[] = {"imagenet",         "coco2017",   "squad-v2",     "cityscapes", "librispeech",
                                       "customer-reviews", "medical-ct", "retail-shelf", "wmt19",      "sku-images"};
static const char *const VARIANTS[] = {"baseline", "lr-sweep", "augment", "distill",
                                       "finetune", "ablation", "fp16",    "large-batch"};
static const char *const DESCS[] = {"Nightly retraining on the latest labelled data",
                                    "Hyper-parameter sweep, learning rate 1e-4 to 1e-2",
                                    "Fine-tune from the production checkpoint",
                                    "Reproduce the paper's baseline numbers",
                                    "Mixed-precision run on 8 GPUs",
                                    ""};

static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static size_t pick(uint64_t *rng, size_t n)
{
    return (size_t)(next_random(rng) % n);
}

/* Mostly completed; a realistic sprinkling of the rest of the status table. */
static int pick_status(uint64_t *rng)
{
    static const int weighted[] = {10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 8, 8, 8, 7, 7, 11, 11, 13, 12, 3, 5};
    return weighted[pick(rng, sizeof weighted / sizeof weighted[0])];
}

int fake_dataset_generate_realistic(uint64_t seed, size_t count, fake_dataset *out)
{
    if (out == NULL) {
        return -1;
    }
    out->jobs = NULL;
    out->count = 0;
    if (count == 0) {
        return 0;
    }
    enum { NAME_MAX_BYTES = 64, DESC_MAX_BYTES = 64 };
    if (count > SIZE_MAX / (sizeof(fake_job) + NAME_MAX_BYTES + DESC_MAX_BYTES)) {
        return -1;
    }
    char *block = malloc(count * (sizeof(fake_job) + NAME_MAX_BYTES + DESC_MAX_BYTES));
    if (block == NULL) {
        return -1;
    }
    fake_job *jobs = (fake_job *)(void *)block;
    char *strings = block + count * sizeof(fake_job);
    uint64_t rng = seed;
    for (size_t i = 0; i < count; i++) {
        fake_job *j = &jobs[i];
        char *name = strings + i * (NAME_MAX_BYTES + DESC_MAX_BYTES);
        char *desc = name + NAME_MAX_BYTES;
        snprintf(name, NAME_MAX_BYTES, "%s-%s-%s-%03zu", MODELS[pick(&rng, 10)], DATASETS[pick(&rng, 10)],
                 VARIANTS[pick(&rng, 8)], i % 1000);
        snprintf(desc, DESC_MAX_BYTES, "%s", DESCS[pick(&rng, sizeof DESCS / sizeof DESCS[0])]);
        j->job_id = 110000 + (int64_t)i;
        j->version_id = 200000 + (int64_t)i * 3 + (int64_t)pick(&rng, 3);
        j->status = pick_status(&rng);
        j->create_time = TIME_START + (int64_t)i * 7 * MS_PER_MINUTE + (int64_t)pick(&rng, 60000);
        int running = j->status == 7 || j->status == 8 || j->status == 1;
        j->duration = running && j->status != 8 ? 0 : (int64_t)(3 + pick(&rng, 2000)) * MS_PER_MINUTE;
        j->version_count = 1 + (int64_t)pick(&rng, 5);
        j->job_name = name;
        j->job_desc = desc;
        j->workspace_id = "0";
    }
    out->jobs = jobs;
    out->count = count;
    return 0;
}
