/* task: see task.h. */
#include "core/task.h"

#include <string.h>

#include "util/datetime.h"
#include "util/text.h"

const char *const task_key_groups[TASK_KEY_GROUPS] = {
    "三个一批项目建设", "万人助万企活动", "灾后重建", "科技创新", "产业培育",
    "城市建设",       "乡村振兴",       "生态环保", "重点民生实事", "安全稳定",
};

static const char *const kind_names[] = {"key", "phased"};
static const char *const role_names[] = {"task", "milestone", "problem"};

const char *task_kind_name(task_kind k) { return kind_names[k == TASK_PHASED]; }
const char *task_role_name(task_role r) { return r <= TASK_ROLE_PROBLEM ? role_names[r] : "?"; }

int task_kind_parse(const char *s, task_kind *k, err *e) {
    for (int i = 0; s && i < 2; i++)
        if (!strcmp(s, kind_names[i])) {
            *k = (task_kind)i;
            return 0;
        }
    return err_set(e, ERR_INVALID, "kind", "kind '%s' must be key (十项重点工作) or phased (阶段性任务)", s ? s : "");
}

int task_role_parse(const char *s, task_role *r) {
    for (int i = 0; s && i < 3; i++)
        if (!strcmp(s, role_names[i])) {
            *r = (task_role)i;
            return 0;
        }
    return -1;
}

int task_group_check(task_kind k, const char *group, err *e) {
    if (k == TASK_KEY) {
        for (int i = 0; group && i < TASK_KEY_GROUPS; i++)
            if (!strcmp(group, task_key_groups[i])) return 0;
        return err_set(e, ERR_INVALID, "group", "a key task's group '%s' must be one of the ten key works"
                       " (三个一批项目建设, 万人助万企活动, 灾后重建, 科技创新, 产业培育, 城市建设, 乡村振兴, 生态环保,"
                       " 重点民生实事, 安全稳定)", group ? group : "");
    }
    if (!group || text_blank(group) || text_len(group) > 32)
        return err_set(e, ERR_INVALID, "group", "a phased task's group is a name of 1-32 characters");
    return 0;
}

int task_milestones_check(const task_milestone *m, int n, int32_t today, int32_t task_due, err *e) {
    if (n > TASK_MAX_MILESTONES)
        return err_set(e, ERR_INVALID, "milestones", "at most %d milestones", TASK_MAX_MILESTONES);
    for (int i = 0; i < n; i++) {
        char d[11];
        dt_format_date(m[i].due, d);
        if (!m[i].title || text_blank(m[i].title) || text_len(m[i].title) > 100)
            return err_set(e, ERR_INVALID, "milestones", "milestone %d needs a title of 1-100 characters", i + 1);
        if (m[i].due < today)
            return err_set(e, ERR_INVALID, "milestones", "milestone %d's day %s is in the past", i + 1, d);
        if (m[i].due > task_due)
            return err_set(e, ERR_INVALID, "milestones", "milestone %d's day %s is after the task's own", i + 1, d);
        if (i && m[i].due < m[i - 1].due)
            return err_set(e, ERR_INVALID, "milestones", "milestone %d's day %s is before milestone %d's", i + 1,
                           d, i);
    }
    return 0;
}
