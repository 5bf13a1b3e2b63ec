/*
 * api_access.c — the one ownership check of the exam and attempt routes
 * (see api_access.h).
 */
#include "api_access.h"
#include "api.h"
#include "api_class.h"
#include "api_staff.h"
#include "err.h"
#include "store.h"

#include <string.h>

bool api_exam_may(const struct staff_who *who,
                  const struct store_exam_meta *meta)
{
    if (!strcmp(who->role, "admin"))
        return true;
    if (meta->contest_id) /* a round: the contest's owner only */
        return meta->contest_owner_id == who->uid;
    return !api_class_is_trainer(who) || meta->owner_id == who->uid;
}

bool api_exam_access(struct runtime *rt, struct conn *c,
                     const struct staff_who *who, int64_t exam_id,
                     struct store_exam_meta *meta)
{
    int rc = store_exam_meta_get(rt->db, exam_id, meta);
    if (rc == EXAMD_ENOTFOUND) {
        api_staff_fail(rt, c, 404, rc, "exam",
                       "không có kỳ thi này / no such exam");
        return false;
    }
    if (rc) {
        api_fail(rt, c, 500, EXAMD_EINTERNAL);
        return false;
    }
    if (api_exam_may(who, meta))
        return true;
    bool round = meta->contest_id != 0;
    store_exam_meta_fini(meta);
    api_staff_fail(rt, c, 403, EXAMD_EFORBIDDEN, "exam",
                   round ? "vòng thi thuộc cuộc thi của ban tổ chức khác / "
                           "a round of another organiser's contest"
                         : "đây không phải kỳ thi của bạn / this exam is not "
                           "yours");
    return false;
}

const struct exam *api_exam_loaded(struct runtime *rt, struct conn *c,
                                   const struct staff_who *who, int64_t exam_id)
{
    struct store_exam_meta meta;
    if (!api_exam_access(rt, c, who, exam_id, &meta))
        return NULL;
    store_exam_meta_fini(&meta);
    const struct exam *e = runtime_exam(rt, exam_id);
    if (!e)
        api_staff_fail(rt, c, 404, EXAMD_ENOTFOUND, "exam",
                       "không có kỳ thi này / no such exam");
    return e;
}
