/* duban demo: a realistic 孟州市 database. Every case is driven through the
 * real state machine (store_case_act) with plausible delays drawn from a
 * seeded generator, so the same --seed and --end give the same database. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/auth.h"
#include "cli/cli.h"
#include "core/calendar.h"
#include "core/case_json.h"
#include "util/datetime.h"
#include "store/store_ref.h"
#include "store/store_case.h"
#include "store/store_report.h"
#include "store/store_auth.h"
#include "store/store_eval.h"
#include "store/store_indicator.h"
#include "store/store_project.h"
#include "store/store_kb.h"
#include "store/store_task.h"

/* ---- reference data --------------------------------------------------------- */

static const struct { const char *code, *name, *kind; } units[] = {
    {"dcs", "市政府督查室", "center"},
    {"rx12345", "市12345政务服务便民热线中心", "center"},
    {"fgw", "市发展和改革委员会", "dept"},
    {"jyj", "市教育局", "dept"},
    {"kjj", "市科学技术局", "dept"},
    {"gxj", "市工业和信息化局", "dept"},
    {"gaj", "市公安局", "dept"},
    {"mzj", "市民政局", "dept"},
    {"sfj", "市司法局", "dept"},
    {"czj", "市财政局", "dept"},
    {"rsj", "市人力资源和社会保障局", "dept"},
    {"zrzyj", "市自然资源和规划局", "dept"},
    {"sthj", "焦作市生态环境局孟州分局", "dept"},
    {"zjj", "市住房和城乡建设局", "dept"},
    {"cgj", "市城市管理局", "dept"},
    {"jtj", "市交通运输局", "dept"},
    {"slj", "市水利局", "dept"},
    {"nyncj", "市农业农村局", "dept"},
    {"swj", "市商务局", "dept"},
    {"wglj", "市文化广电和旅游局", "dept"},
    {"wjw", "市卫生健康委员会", "dept"},
    {"tyjrj", "市退役军人事务局", "dept"},
    {"yjglj", "市应急管理局", "dept"},
    {"scjgj", "市市场监督管理局", "dept"},
    {"ybj", "市医疗保障局", "dept"},
    {"xfj", "市信访局", "dept"},
    {"zwfwj", "市政务服务和大数据管理局", "dept"},
    {"dadingjd", "大定街道", "township"},
    {"huichangjd", "会昌街道", "township"},
    {"heyongjd", "河雍街道", "township"},
    {"heyangjd", "河阳街道", "township"},
    {"huagongzhen", "化工镇", "township"},
    {"nanzhuangzhen", "南庄镇", "township"},
    {"chengbozhen", "城伯镇", "township"},
    {"gudanzhen", "谷旦镇", "township"},
    {"xiguozhen", "西虢镇", "township"},
    {"zhaohezhen", "赵和镇", "township"},
    {"huaishuxiang", "槐树乡", "township"},
};
#define FIRST_TOWNSHIP 27
#define N_UNITS ((int)(sizeof units / sizeof *units))

/* Groups first (unit NULL), then leaves with their usual handling unit and
 * the way a caller words the problem. `street` leaves may go to a township. */
static const struct category {
    const char *code, *name, *parent, *unit;
    bool street;
    const char *problem[3];
} cats[] = {
    {"cj", "城乡建设", NULL, NULL, false, {NULL}},
    {"hb", "生态环境", NULL, NULL, false, {NULL}},
    {"ld", "劳动保障", NULL, NULL, false, {NULL}},
    {"sc", "市场监管", NULL, NULL, false, {NULL}},
    {"jt", "交通出行", NULL, NULL, false, {NULL}},
    {"jy", "教育", NULL, NULL, false, {NULL}},
    {"ws", "医疗卫生", NULL, NULL, false, {NULL}},
    {"ny", "农业农村", NULL, NULL, false, {NULL}},
    {"mz", "民政服务", NULL, NULL, false, {NULL}},
    {"qy", "企业服务", NULL, NULL, false, {NULL}},
    {"cg", "数字城管事件", NULL, NULL, false, {NULL}},
    {"cj.road", "道路破损", "cj", "zjj", true, {"路面坑洼，雨天积水", "人行道地砖松动", NULL}},
    {"cj.light", "路灯照明", "cj", "cgj", true, {"路灯夜间不亮", "路灯白天常亮", NULL}},
    {"cj.water", "供水问题", "cj", "zjj", false, {"小区停水未提前通知", "自来水水压低", NULL}},
    {"cj.heat", "供暖问题", "cj", "zjj", false, {"暖气不热", "供暖费收取有异议", NULL}},
    {"cj.gas", "燃气问题", "cj", "zjj", false, {"燃气管道有异味", "燃气开户办理慢", NULL}},
    {"cj.property", "物业纠纷", "cj", "zjj", false, {"物业不作为，电梯常坏", "物业费上涨未公示", NULL}},
    {"hb.noise", "噪音扰民", "hb", "sthj", true, {"夜间施工噪音扰民", "商户音响噪音扰民", NULL}},
    {"hb.air", "大气污染", "hb", "sthj", false, {"工厂排放异味", "露天焚烧秸秆", NULL}},
    {"hb.water", "水体污染", "hb", "sthj", false, {"河道有污水排放", "沟渠发黑发臭", NULL}},
    {"ld.wage", "拖欠工资", "ld", "rsj", false, {"工地拖欠农民工工资", "公司拖欠工资三个月", NULL}},
    {"ld.social", "社保办理", "ld", "rsj", false, {"社保转移接续办理慢", "养老保险缴费咨询", NULL}},
    {"sc.food", "食品安全", "sc", "scjgj", false, {"餐馆卫生条件差", "超市销售过期食品", NULL}},
    {"sc.consumer", "消费维权", "sc", "scjgj", false, {"预付卡商家跑路", "购买家电拒不退换", NULL}},
    {"sc.price", "价格投诉", "sc", "scjgj", false, {"停车收费不合理", "商品明码标价不实", NULL}},
    {"jt.bus", "公交出行", "jt", "jtj", false, {"公交车班次太少", "公交站牌信息有误", NULL}},
    {"jt.taxi", "出租车服务", "jt", "jtj", false, {"出租车拒载", "出租车不打表", NULL}},
    {"jy.school", "入学咨询", "jy", "jyj", false, {"适龄儿童入学咨询", "学区划分有疑问", NULL}},
    {"jy.fee", "学校收费", "jy", "jyj", false, {"学校违规收取资料费", "课后服务收费咨询", NULL}},
    {"ws.hospital", "医疗服务", "ws", "wjw", false, {"医院挂号排队时间长", "医生服务态度差", NULL}},
    {"ws.insurance", "医保报销", "ws", "ybj", false, {"异地就医报销慢", "医保卡无法使用", NULL}},
    {"ny.land", "土地承包", "ny", "nyncj", true, {"土地流转费用未兑现", "承包地边界纠纷", NULL}},
    {"ny.env", "农村人居环境", "ny", "nyncj", true, {"村内垃圾清运不及时", "村道两侧杂物堆放", NULL}},
    {"mz.dibao", "低保救助", "mz", "mzj", true, {"低保申请进度咨询", "临时救助申请", NULL}},
    {"mz.elder", "养老服务", "mz", "mzj", true, {"高龄津贴未发放", "老年食堂就餐咨询", NULL}},
    {"qy.approval", "审批办理", "qy", "zwfwj", false, {"企业开办审批时限长", "不动产登记办理慢", NULL}},
    {"qy.env", "营商环境", "qy", "fgw", false, {"惠企政策兑现慢", "项目手续办理协调", NULL}},
    {"qy.power", "用电保障", "qy", "gxj", false, {"企业用电增容协调", "频繁停电影响生产", NULL}},
    {"cg.garbage", "暴露垃圾", "cg", "cgj", true, {"暴露垃圾未清理", "垃圾桶满溢", NULL}},
    {"cg.material", "乱堆物料", "cg", "cgj", true, {"人行道乱堆物料", "建筑垃圾乱倒", NULL}},
    {"cg.ads", "违章张贴小广告", "cg", "cgj", true, {"墙面张贴小广告", "电线杆小广告", NULL}},
    {"cg.stall", "占道经营", "cg", "cgj", true, {"流动摊贩占道经营", "店外经营占用人行道", NULL}},
    {"cg.parking", "乱停放", "cg", "gaj", true, {"车辆乱停占用消防通道", "非机动车乱停放", NULL}},
    {"cg.manhole", "井盖缺失", "cg", "zjj", true, {"井盖缺失存在安全隐患", "井盖破损下沉", NULL}},
    {"cg.collapse", "路面塌陷", "cg", "zjj", true, {"路面塌陷", "路面开裂下沉", NULL}},
    {"cg.spill", "道路遗撒", "cg", "cgj", true, {"渣土车道路遗撒", "道路油污未清理", NULL}},
};
#define N_CATS ((int)(sizeof cats / sizeof *cats))

static const char *const places[] = {
    "韩愈大街", "河阳大街", "会昌路", "大定路", "河雍路", "西环路", "东环路", "南环路",
    "建设路",   "人民路",   "文化路", "迎宾路", "桑坡村", "莫沟村", "源沟村", "岩山村",
    "韩园小区", "产业集聚区", "火车站广场", "中原内配东侧"};
static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
                                       "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"};
static const char *const given[] = {"伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇",
                                    "艳", "杰", "娟", "涛", "明", "超", "秀英", "建国", "玉兰", "志强"};
static const char *const proposals[] = {
    "关于加强农村人居环境整治的建议", "关于完善城区停车设施的建议", "关于提升基层医疗服务能力的建议",
    "关于推进老旧小区改造的建议",     "关于支持中小企业发展的建议", "关于加快乡村振兴产业培育的建议",
    "关于加强黄河湿地保护的建议",     "关于优化营商环境的建议"};
static const char *const key_tasks[] = {
    "三个一批项目建设进度督办", "万人助万企问题协调", "三十工程重点项目推进",
    "城市建设重点工程推进",     "乡村振兴示范村建设", "生态环保问题整改",
    "重点民生实事落实",         "安全生产隐患排查整改"};

/* ---- a small deterministic generator (splitmix64) ----------------------------- */

typedef struct rng { uint64_t s; } rng;

static uint64_t next(rng *r) {
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
static double u01(rng *r) { return (double)(next(r) >> 11) / 9007199254740992.0; }
static int below(rng *r, int n) { return (int)(u01(r) * n); }
static int64_t between(rng *r, int64_t lo, int64_t hi) { return lo + (int64_t)(u01(r) * (double)(hi - lo)); }
static bool chance(rng *r, double p) { return u01(r) < p; }

/* ---- driving one case ----------------------------------------------------------- */

typedef struct demo {
    store *st;
    rng r;
    int64_t end;
    const case_env *env;
    unit_ref unit[N_UNITS];
    unit_ref cat[N_CATS];
    int64_t cases, actions;
    int64_t main_id; /* the latest case not closed at intake: what a duplicate merges into */
    rng er;          /* 码上评's own generator: evaluations do not move the cases above */
    service_point point[4];
    int64_t evaluations;
    int64_t kb_id[16]; /* the 知识库 entries, as kb[] lists them */
    int64_t swept;     /* notices raised by the sweeps run as the year went */
} demo;

/* People act in office hours (08:30-18:00 on working days): a time outside
 * them moves to the next such morning, keeping its minutes past the hour
 * so that the actions of one morning do not all share a second. */
static int64_t office_hours(const demo *d, int64_t t) {
    int tz = d->env->tz;
    int32_t day = dt_local_day(t, tz);
    int64_t into = t - dt_day_start(day, tz), open = 8 * 3600 + 1800, close = 18 * 3600;
    if (into >= open && into < close && cal_is_workday(d->env->cal, day)) return t;
    if (into >= close) day++;
    day = cal_next_workday(d->env->cal, day);
    return dt_day_start(day, tz) + open + (t % 3600);
}

/* The sweeps a server runs every minute, on this case alone, before
 * `until` (and not after the demo's end): each 督办 notice is raised at the
 * minute its level was reached, while the case was still waiting. */
static int sweep_until(demo *d, case_rec *c, int64_t until, err *e) {
    for (int k = 0; k < DUE_COUNT * SUP_LEVEL_COUNT; k++) {
        int64_t t = sup_next_alert(c), raised;
        if (!t) return 0;
        if (t < c->updated_at) t = c->updated_at; /* not before what set the deadline */
        t = (t + 59) / 60 * 60;                   /* the first sweep at or after it */
        if (t >= until || t > d->end) return 0;
        int rc = store_sweep_case(d->st, c->id, t, &raised, e);
        if (rc) return rc;
        d->swept += raised;
        sup_notice out[DUE_COUNT * SUP_LEVEL_COUNT];
        sup_eval(c, t, out); /* the bits the store set, on the copy in hand */
    }
    return 0;
}

/* Applies an action unless its time is past the demo's end; *c is updated.
 * Returns 1 if applied, 0 if the story stops here, <0 on a real error. */
static int step(demo *d, case_rec *c, case_req *r, err *e) {
    if (r->action != ACT_ANSWER) r->at = office_hours(d, r->at); /* the 12345 line answers around the clock */
    if (r->at > d->end) return 0;
    if (r->at < c->updated_at) r->at = c->updated_at + 60;
    case_rec out;
    int rc = sweep_until(d, c, r->at, e);
    if (!rc) rc = store_case_act(d->st, c->id, r, &out, e);
    if (rc) return -rc;
    case_rec_clear(c);
    *c = out;
    d->actions++;
    return 1;
}

#define STEP(req)                                   \
    do {                                            \
        int k_ = step(d, &c, &(req), e);            \
        if (k_ < 0) { rc = -k_; goto out; }         \
        if (k_ == 0) goto out;                      \
    } while (0)

static int unit_index(const char *code) {
    for (int i = 0; i < N_UNITS; i++)
        if (strcmp(units[i].code, code) == 0) return i;
    return 0;
}

static int64_t hours(double h) { return (int64_t)(h * 3600); }

/* How a unit works: the share of cases it signs for and reports on quickly,
 * finishes by the deadline, whose requester is satisfied (or basically),
 * and that it sends back (退单). Most units work as the county's usual; a
 * few differ as real units do, so that a ranking ranks something: slow
 * ones, careless ones, one that returns what it is given, one that is good. */
typedef struct profile { double quick, ontime, satisfied, basic, returns; } profile;
static const profile usual = {0.9, 0.88, 0.86, 0.95, 0.03};
static const struct { const char *code; profile p; } unusual[] = {
    {"zjj", {0.55, 0.6, 0.8, 0.93, 0.03}},          /* slow */
    {"chengbozhen", {0.5, 0.55, 0.82, 0.94, 0.03}}, /* slow */
    {"scjgj", {0.9, 0.86, 0.58, 0.8, 0.03}},        /* careless: answers that do not satisfy */
    {"gudanzhen", {0.85, 0.84, 0.6, 0.82, 0.03}},   /* careless */
    {"sthj", {0.9, 0.86, 0.84, 0.95, 0.3}},         /* sends back what it is given */
    {"cgj", {0.97, 0.96, 0.92, 0.98, 0.01}},        /* quick and careful */
};

static const profile *profile_of(int unit) {
    for (size_t i = 0; i < sizeof unusual / sizeof *unusual; i++)
        if (strcmp(units[unit].code, unusual[i].code) == 0) return &unusual[i].p;
    return &usual;
}

/* 诉求类型 by channel, in proportions like 唐山's 2024-11 (求助 29%, 投诉 1%)
 * once the 咨询 answered on the call are set aside: these cases are the ones
 * dispatched. Drawn from the receipt time, not the generator, so the rest of
 * the demo does not move. */
static case_appeal demo_appeal(case_channel ch, int64_t t0) {
    int x = (int)(t0 % 100);
    switch (ch) {
    case CH_DEPUTY:
    case CH_CPPCC: return AP_SUGGESTION;
    case CH_LEADER_TASK: return AP_NONE;
    case CH_PETITION: return x < 70 ? AP_COMPLAINT : AP_REPORT;
    case CH_QR: return x < 80 ? AP_COMPLAINT : AP_PRAISE;
    default: return x < 75 ? AP_HELP : x < 88 ? AP_COMPLAINT : x < 95 ? AP_SUGGESTION : AP_REPORT;
    }
}

/* A date a 人大代表建议 or 政协提案 is promised or planned for: at most 180
 * days after its 交办, inside the six months it must be answered in. */
static int32_t within_proposal(const demo *d, const case_rec *c, int32_t until) {
    if (!CASE_PROPOSAL(c->channel) || !c->dispatched_at) return until;
    int32_t cap = dt_local_day(c->dispatched_at, d->env->tz) + 180;
    return until < cap ? until : cap;
}

/* The written answer to a 人大代表建议 or 政协提案: mostly A, some B and C
 * with a date two to six months on, a few D — from the case's id, not the
 * generator, so the rest of the demo does not move. */
static void proposal_answer(const demo *d, const case_rec *c, case_req *r) {
    int x = (int)(c->id % 20);
    r->answer = x < 13 ? ANS_A : x < 16 ? ANS_B : x < 19 ? ANS_C : ANS_D;
    if (CASE_PROMISES(r->answer)) {
        /* the day it will be answered on (step moves it into office hours) */
        int64_t at = office_hours(d, r->at < c->updated_at ? c->updated_at + 60 : r->at);
        int32_t today = dt_local_day(at, d->env->tz);
        r->until = within_proposal(d, c, today + 60 + (int32_t)(c->id % 120));
        if (r->until <= today) r->answer = ANS_A, r->until = INT32_MIN; /* too late to promise within six months */
    }
    r->note = r->answer == ANS_A ? "经办理，代表（委员）所提问题已解决，书面答复如下：已落实。"
              : r->answer == ANS_D ? "建议（提案）所提事项留作参考，书面答复已送达。"
                                   : "已制定方案，正在推进，书面答复已送达，承诺按期完成。";
}

/* A caller: a name and a mobile number, from the generator. */
static void requester(rng *g, char name[32], char phone[40]) {
    snprintf(name, 32, "%s%s", surnames[below(g, 20)], given[below(g, 20)]);
    snprintf(phone, 40, "1%d%d%08d", 3 + below(g, 7), below(g, 10), below(g, 100000000));
}

static int drive(demo *d, case_channel ch, case_class cl, int cat, int township, int64_t t0,
                 err *e) {
    rng *g = &d->r;
    case_rec c = {0};
    char title[256], desc[512], name[32], phone[40];
    int rc = 0;
    const char *place = places[below(g, (int)(sizeof places / sizeof *places))];
    const struct category *k = &cats[cat];
    const char *problem = k->problem[below(g, k->problem[1] ? 2 : 1)];
    if (ch == CH_DEPUTY || ch == CH_CPPCC)
        snprintf(title, sizeof title, "%s", proposals[below(g, 8)]);
    else if (ch == CH_LEADER_TASK)
        snprintf(title, sizeof title, "%s", key_tasks[below(g, 8)]);
    else if (ch == CH_ENTERPRISE)
        snprintf(title, sizeof title, "企业反映：%s", problem);
    else if (k->street)
        snprintf(title, sizeof title, "%s%s", place, problem);
    else
        snprintf(title, sizeof title, "%s", problem);
    /* who is speaking follows the channel the case came through */
    static const char *const said_by[CH_COUNT] = {
        [CH_HOTLINE] = "来电人反映", [CH_QR] = "群众扫码评价反映", [CH_PETITION] = "信访人反映",
        [CH_CITYMGMT] = "城管巡查发现", [CH_DEPUTY] = "人大代表建议关注", [CH_CPPCC] = "政协委员提案关注",
        [CH_ENTERPRISE] = "企业反映", [CH_LEADER_TASK] = "领导交办", [CH_OPEN311] = "市民通过手机上报"};
    if (k->street)
        snprintf(desc, sizeof desc, "%s：%s附近%s，希望尽快处理。", said_by[ch], place, problem);
    else
        snprintf(desc, sizeof desc, "%s：%s，请相关部门核实处理并回复。", said_by[ch], problem);
    requester(g, name, phone);
    c.channel = ch;
    c.klass = cl;
    c.appeal = demo_appeal(ch, t0);
    c.confidential = case_confidential_default(ch);
    c.title = title;
    c.description = desc;
    bool personal = ch != CH_LEADER_TASK && ch != CH_CITYMGMT;
    c.requester_name = personal ? name : NULL;
    c.requester_phone = personal ? phone : NULL;
    c.category = d->cat[cat];
    c.township = d->unit[township];
    c.received_at = t0;
    if ((rc = store_case_create(d->st, &c, ch == CH_HOTLINE ? "12345话务员" : "受理员", e))) {
        memset(&c, 0, sizeof c); /* strings were borrowed */
        return rc;
    }
    c.title = c.description = c.requester_name = c.requester_phone = NULL;
    d->cases++;
    case_req r;
    int64_t t = t0;

    /* duplicates and invalid reports are closed at intake */
    double fate = u01(g);
    if (fate < 0.03) {
        bool merge = fate < 0.02 && d->main_id;
        case_req_init(&r, merge ? ACT_MERGE : ACT_REJECT, t + between(g, 600, 7200), "督查室");
        r.note = merge ? "与已受理诉求重复，合并办理" : "反映内容不属于受理范围";
        r.into = merge ? d->main_id : 0;
        STEP(r);
        if (c.status != ST_RESOLVED) goto out;
        /* the main case's result reached this requester too: their own 回访
         * (without the generator, so the rest of the demo stays the same) */
        case_req_init(&r, ACT_VISIT, c.resolved_at + hours(6), "回访员");
        r.satisfaction = SAT_SATISFIED;
        r.solved = 1;
        STEP(r);
        case_req_init(&r, ACT_CLOSE, c.updated_at + hours(1), "督查室");
        STEP(r);
        goto out;
    }
    d->main_id = c.id;
    /* 1: dispatch the same day, mostly within hours */
    int lead = unit_index(k->unit ? k->unit : "dcs");
    if (k->street && chance(g, 0.35)) lead = township;
    /* a petition goes, as any case, to the unit its matter belongs to (the
     * 信访局 receives petitions; it does not settle them) */
    int dispatches = 0;
redispatch:
    t += chance(g, 0.93) ? between(g, 300, hours(3)) : between(g, hours(4), hours(30));
    case_req_init(&r, ACT_DISPATCH, t, "督查室");
    r.lead = d->unit[lead];
    if (chance(g, 0.1)) {
        int a = FIRST_TOWNSHIP + below(g, N_UNITS - FIRST_TOWNSHIP);
        if (a != lead) r.assist[r.n_assist++] = d->unit[a];
    }
    STEP(r);
    dispatches++;
    t = c.updated_at;
    const profile *pf = profile_of(lead);
    if (dispatches == 1 && chance(g, pf->returns)) { /* 退单: not this unit's business */
        case_req_init(&r, ACT_RETURN, t + between(g, 600, hours(5)), "承办单位");
        r.note = "经核实不属于本单位职责，申请退回重新派单";
        STEP(r);
        t = c.updated_at;
        lead = 2 + below(g, FIRST_TOWNSHIP - 2);
        goto redispatch;
    }
    /* sign for it, mostly at once */
    t += chance(g, pf->quick) ? between(g, 300, hours(3)) : between(g, hours(3), hours(40));
    case_req_init(&r, ACT_ACCEPT, t, "承办单位");
    STEP(r);
    /* 3: a progress report within three days, usually */
    int64_t window = c.due[DUE_RESOLVE] - c.accepted_at;
    if (cl != CL_URGENT && chance(g, 0.85)) {
        case_req_init(&r, ACT_FEEDBACK, c.accepted_at + (chance(g, pf->quick) ? between(g, hours(4), hours(60)) : between(g, hours(72), hours(120))), "承办单位");
        r.note = "已安排人员现场核实，正在处理";
        if (r.at < c.due[DUE_RESOLVE] - 600) STEP(r);
    }
    /* extensions and plans, approved by the 督查室 most of the time */
    if (cl == CL_MAJOR && chance(g, 0.15)) {
        case_req_init(&r, ACT_PROPOSE_PLAN, c.updated_at + between(g, hours(24), hours(240)), "承办单位");
        r.note = "问题涉及多部门协调，一个月内难以解决，现提交分阶段解决方案";
        r.until = within_proposal(d, &c, dt_local_day(c.due[DUE_RESOLVE], d->env->tz) + 30 + below(g, 60));
        STEP(r);
        case_req_init(&r, chance(g, 0.85) ? ACT_APPROVE_PLAN : ACT_DENY_PLAN, c.updated_at + between(g, hours(2), hours(48)), "督查室");
        r.note = r.action == ACT_DENY_PLAN ? "方案时间节点过长，请压缩" : "同意按方案推进";
        STEP(r);
        window = c.due[DUE_RESOLVE] - c.accepted_at;
    } else if (cl == CL_GENERAL && chance(g, 0.04)) {
        case_req_init(&r, ACT_REQUEST_EXTENSION, c.updated_at + between(g, hours(24), hours(100)), "承办单位");
        r.note = "需协调相关单位，申请延期";
        if (ch != CH_PETITION)
            r.until = within_proposal(d, &c, dt_local_day(c.due[DUE_RESOLVE], d->env->tz) + 3 + below(g, 10));
        STEP(r);
        case_req_init(&r, chance(g, 0.8) ? ACT_APPROVE_EXTENSION : ACT_DENY_EXTENSION, c.updated_at + between(g, hours(2), hours(30)), "督查室");
        r.note = r.action == ACT_DENY_EXTENSION ? "理由不充分，请按期办结" : "同意延期";
        STEP(r);
        window = c.due[DUE_RESOLVE] - c.accepted_at;
    }
    /* 7 / 1 month: most on time, some late */
    for (int round = 0; round < 2; round++) {
        int64_t start = c.updated_at, due = c.due[DUE_RESOLVE];
        if (window < hours(2)) window = hours(2);
        t = chance(g, pf->ontime) ? start + (int64_t)(u01(g) * 0.9 * (double)(due - start > 600 ? due - start : 600))
                            : due + between(g, hours(2), hours(24 * 12));
        case_req_init(&r, ACT_RESOLVE, t, "承办单位");
        r.note = round ? "已重新核查并彻底处理，回复群众" : "已处理完毕，并电话回复诉求人";
        if (CASE_PROPOSAL(ch)) proposal_answer(d, &c, &r);
        STEP(r);
        /* 回访 */
        case_req_init(&r, ACT_VISIT, c.resolved_at + between(g, hours(4), hours(72)), "回访员");
        double s = u01(g);
        r.satisfaction = s < pf->satisfied ? SAT_SATISFIED : s < pf->basic ? SAT_BASIC : SAT_UNSATISFIED;
        r.solved = r.satisfaction == SAT_UNSATISFIED ? chance(g, 0.3) : chance(g, 0.97);
        if (!personal && chance(g, 0.5)) {
            case_req_init(&r, ACT_WAIVE_VISIT, r.at, "督查室");
            r.note = "无诉求人，现场核查代替回访";
        }
        STEP(r);
        if (c.satisfaction != SAT_UNSATISFIED || round == 1 || !chance(g, 0.6)) break;
        /* 0: not satisfied, so it goes back */
        case_req_init(&r, ACT_REOPEN, c.visited_at + between(g, hours(1), hours(24)), "督查室");
        r.note = "群众不满意，重新交办";
        STEP(r);
        window = c.due[DUE_RESOLVE] - c.updated_at;
    }
    case_req_init(&r, ACT_CLOSE, c.updated_at + between(g, hours(1), hours(30)), "督查室");
    if (CASE_PROMISES(c.answer)) { /* open until the promised day has passed and is checked */
        int64_t after = dt_day_start(c.promise_day + 1, d->env->tz) + hours(10);
        if (r.at < after) r.at = after;
        r.note = "经核实，答复承诺事项已落实";
    }
    STEP(r);
    /* 公开: the 督查室 publishes every third closed hotline or city case with a
     * summary written for the public (decided without the generator, so the
     * rest of the demo stays the same) */
    if ((ch == CH_HOTLINE || ch == CH_CITYMGMT) && d->cases % 3 == 0) {
        char summary[320];
        snprintf(summary, sizeof summary, "群众反映：%s。", title);
        case_req_init(&r, ACT_PUBLISH, c.updated_at + hours(1), "督查室");
        r.note = summary;
        r.reply = "经承办单位核查，已处理完毕。";
        STEP(r);
    }
out: /* what the sweeps raised while it waited, to the demo's end */
    if (!rc && c.id) rc = sweep_until(d, &c, d->end + 1, e);
    case_rec_clear(&c);
    return rc;
}

/* ---- the mix ------------------------------------------------------------------- */

static const struct { case_channel ch; double share; } mix[] = {
    {CH_HOTLINE, 0.60}, {CH_CITYMGMT, 0.22}, {CH_QR, 0.03},     {CH_PETITION, 0.08},
    {CH_ENTERPRISE, 0.02}, {CH_OPEN311, 0.02}, {CH_DEPUTY, 0.01}, {CH_CPPCC, 0.01},
    {CH_LEADER_TASK, 0.01},
};

/* Indexes into cats[]: 11 groups, then the leaves; the last 8 are 数字城管 events
 * and qy.* (enterprise) are the three before them. */
#define FIRST_LEAF 11
#define N_CITYMGMT 8
#define FIRST_QY (N_CATS - N_CITYMGMT - 3)

static int pick_category(demo *d, case_channel ch) {
    if (ch == CH_CITYMGMT) return N_CATS - N_CITYMGMT + below(&d->r, N_CITYMGMT);
    if (ch == CH_ENTERPRISE) return FIRST_QY + below(&d->r, 3);
    return FIRST_LEAF + below(&d->r, N_CATS - FIRST_LEAF - N_CITYMGMT);
}

/* 未诉先办 has something to find: in the demo's last six days, two more
 * calls a day about 路灯 in 化工镇 than usual (docs/rules.md, hot spots).
 * Drawn from a generator of their own, so the rest of the demo does not
 * move. */
static int spike(demo *d, int32_t day, err *e) {
    static const char *const cat = "cj.light";
    int k = FIRST_LEAF;
    while (k < N_CATS && strcmp(cats[k].code, cat)) k++;
    rng keep = d->r;
    d->r = (rng){(uint64_t)day * 2654435761u};
    int rc = 0;
    for (int i = 0; i < 2 && !rc; i++) {
        int64_t t0 = dt_day_start(day, d->env->tz) + between(&d->r, hours(8), hours(20));
        if (t0 <= d->end) rc = drive(d, CH_HOTLINE, CL_GENERAL, k, unit_index("huagongzhen"), t0, e);
    }
    d->r = keep;
    return rc;
}

/* One account per role, and clerks for two units; demo passwords are
 * printed with the summary. Each keeps the password rule (auth.h): the
 * county's mark, the mechanism and the username's first three letters,
 * never the username itself. */
static const struct { const char *username, *name, *role, *unit; } accounts[] = {
    {"admin", "系统管理员", "admin", NULL},
    {"security", "安全管理员", "security", NULL},
    {"auditor", "审计管理员", "auditor", NULL},
    {"operator", "12345话务员", "operator", NULL},
    {"dispatcher", "督查室督办员", "dispatcher", NULL},
    {"leader", "分管副市长", "leader", NULL},
    {"cgj.clerk", "城管局承办员", "handler", "cgj"},
    {"heyang.clerk", "河阳街道承办员", "handler", "heyangjd"},
};

static void demo_password(const char *username, char out[64]) {
    snprintf(out, 64, "mz13710#%.3s", username);
}

/* Text keys (core/audit.h) from the seed: the same seed, the same database. */
static void demo_key(void *ctx, int64_t case_id, unsigned char key[32]) {
    unsigned char seed[randombytes_SEEDBYTES] = {0};
    memcpy(seed, ctx, sizeof(uint64_t));
    memcpy(seed + 8, &case_id, sizeof case_id);
    randombytes_buf_deterministic(key, 32, seed);
}

static int seed_accounts(demo *d, int64_t now, json_t *out, err *e) {
    for (size_t i = 0; i < sizeof accounts / sizeof *accounts; i++) {
        store_user u = {0};
        char pw[64];
        int rc;
        demo_password(accounts[i].username, pw);
        if ((rc = auth_check_strength(pw, accounts[i].username, e))) return rc;
        snprintf(u.username, sizeof u.username, "%s", accounts[i].username);
        snprintf(u.display_name, sizeof u.display_name, "%s", accounts[i].name);
        snprintf(u.role, sizeof u.role, "%s", accounts[i].role);
        if ((accounts[i].unit && (rc = store_unit_find(d->st, accounts[i].unit, &u.unit, e))) ||
            (rc = auth_hash_password(pw, u.password_hash, e)) ||
            (rc = store_user_add(d->st, &u, now, NULL, e)))
            return rc;
        json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s?}", "username", u.username,
                                             "password", pw, "role", u.role, "unit",
                                             accounts[i].unit));
    }
    return 0;
}

/* The 知识库 the operators answer from: what callers ask most, each kept by
 * the unit it belongs to (none: the 12345 centre's own). */
static const struct { const char *question, *answer, *policy, *category, *unit; } kb[] = {
    {"社保卡丢失了怎么补办？", "携带本人身份证到市民之家人社窗口或各乡镇（街道）社保所办理挂失补办，"
     "当场制卡；也可在“河南社保”APP申请挂失后邮寄。", "《社会保障卡管理办法》", "ld.social", "rsj"},
    {"灵活就业人员怎么缴纳养老保险？", "持身份证到市社保中心登记，可选择60%至300%的缴费基数，"
     "登记后通过银行或“河南税务”APP按月或按年缴费。", "《河南省灵活就业人员参加基本养老保险办法》",
     "ld.social", "rsj"},
    {"异地就医备案怎么办理？", "在“国家医保服务平台”APP或“河南医保”公众号提交异地就医备案，"
     "即时生效；备案后在就医地定点医院直接结算。", "《关于进一步做好基本医疗保险跨省异地就医直接结算工作的通知》",
     "ws.insurance", "ybj"},
    {"适龄儿童入学需要准备哪些材料？", "户口簿、房产证明（或租赁备案证明）、预防接种证明；"
     "每年7月按学区在“孟州教育”平台网上报名，8月公布录取结果。", "《孟州市义务教育阶段招生入学工作方案》",
     "jy.school", "jyj"},
    {"路灯不亮找哪个部门？多久修好？", "城区路灯由市城市管理局路灯所负责，接报后一般故障3日内修复，"
     "需更换线路的7日内修复。报修时请说明路名和灯杆编号。", NULL, "cj.light", "cgj"},
    {"低保怎么申请？", "向户籍所在地乡镇（街道）提出申请，提交身份证、户口簿、收入和财产证明，"
     "经入户调查、民主评议和公示后审批，一般30个工作日内办结。", "《河南省最低生活保障审核确认办法》",
     "mz.dibao", "mzj"},
    {"不动产登记（办房产证）要带什么？", "买卖双方身份证、购房合同、完税凭证，到市民之家不动产登记窗口"
     "一窗受理，一般登记5个工作日内办结。", "《不动产登记暂行条例》", "qy.approval", "zwfwj"},
    {"2025年度城乡居民医保个人缴费标准是多少？", "2025年度个人缴费标准为每人每年400元，"
     "缴费期为2024年9月至12月。", NULL, "ws.insurance", "ybj"}, /* expired: last year's */
};

#define N_KB ((int)(sizeof kb / sizeof *kb))
#define N_KB_ANSWERING (N_KB - 1) /* the last one has expired */

static int seed_kb(demo *d, int64_t at, err *e) {
    int32_t end = dt_local_day(d->end, d->env->tz);
    for (size_t i = 0; i < sizeof kb / sizeof *kb; i++) {
        kb_entry k = {.question = (char *)kb[i].question, .answer = (char *)kb[i].answer,
                      .policy = (char *)kb[i].policy};
        snprintf(k.category.code, sizeof k.category.code, "%s", kb[i].category);
        snprintf(k.unit.code, sizeof k.unit.code, "%s", kb[i].unit);
        /* valid through the next year's end; the last one expired */
        int y, m, day;
        dt_civil_from_days(end, &y, &m, &day);
        k.valid_until = i + 1 == sizeof kb / sizeof *kb ? dt_days_from_civil(2024, 12, 31)
                                                        : dt_days_from_civil(y + 1, 12, 31);
        int rc = store_kb_put(d->st, &k, 0, "12345话务员", at, e);
        if (rc) return rc;
        d->kb_id[i] = k.id;
    }
    return 0;
}

static int category_index(const char *code) {
    for (int i = 0; i < N_CATS; i++)
        if (strcmp(cats[i].code, code) == 0) return i;
    return FIRST_LEAF;
}

/* A 咨询 on the 12345 line, answered from the 知识库 on the call (直接答复):
 * resolved at once, called back, closed. The demo's operators answer this
 * way 45% of the ordinary calls (咨询 are 58-64% of contacts in published
 * figures; practice.md). */
static int consult(demo *d, int64_t t0, int township, err *e) {
    rng *g = &d->r;
    int i = below(g, N_KB_ANSWERING), rc = 0;
    char question[256], title[300], desc[320], name[32], phone[40];
    snprintf(question, sizeof question, "%s", kb[i].question);
    size_t n = strlen(question);
    if (n > 3 && strcmp(question + n - 3, "？") == 0) question[n - 3] = '\0';
    snprintf(title, sizeof title, "咨询：%s", question);
    snprintf(desc, sizeof desc, "来电人咨询：%s。", question);
    requester(g, name, phone);
    case_rec c = {.channel = CH_HOTLINE, .klass = CL_GENERAL, .appeal = AP_CONSULT, .title = title,
                  .description = desc, .requester_name = name, .requester_phone = phone,
                  .category = d->cat[category_index(kb[i].category)], .township = d->unit[township],
                  .received_at = t0};
    if ((rc = store_case_create(d->st, &c, "12345话务员", e))) {
        memset(&c, 0, sizeof c); /* strings were borrowed */
        return rc;
    }
    c.title = c.description = c.requester_name = c.requester_phone = NULL;
    d->cases++;
    case_req r;
    case_req_init(&r, ACT_ANSWER, t0 + between(g, 120, 900), "12345话务员");
    r.kb_id = d->kb_id[i];
    r.note = kb[i].answer;
    STEP(r);
    case_req_init(&r, ACT_VISIT, c.resolved_at + between(g, hours(2), hours(48)), "回访员");
    double s = u01(g);
    r.satisfaction = s < 0.9 ? SAT_SATISFIED : s < 0.97 ? SAT_BASIC : SAT_UNSATISFIED;
    r.solved = chance(g, 0.95);
    STEP(r);
    case_req_init(&r, ACT_CLOSE, c.updated_at + between(g, hours(1), hours(30)), "督查室");
    STEP(r);
out:
    if (!rc && c.id) rc = sweep_until(d, &c, d->end + 1, e);
    case_rec_clear(&c);
    return rc;
}

/* ---- 码上评 --------------------------------------------------------------- */

static const struct { const char *name, *place, *unit; double per_day; } points[] = {
    {"不动产登记窗口", "市民之家二楼 12-15 号窗口", "zrzyj", 6},
    {"社保经办窗口", "市民之家一楼 3 号窗口", "rsj", 8},
    {"数字城管服务窗口", "市民之家一楼 8 号窗口", "cgj", 2},
    {"河阳街道便民服务中心", "河阳街道办事处一楼", "heyangjd", 3},
};
static const char *const bad_comments[] = {
    "排队时间太长，叫号系统经常故障", "材料清单和网上写的不一致，白跑一趟", "窗口人员态度生硬，问两句就不耐烦",
    "大厅空调坏了，等候区太热", "说好三个工作日办结，一周了还没消息",
};

static int seed_points(demo *d, int64_t at, err *e) {
    for (size_t i = 0; i < sizeof points / sizeof *points; i++) {
        service_point *p = &d->point[i];
        *p = (service_point){.name = (char *)points[i].name, .place = (char *)points[i].place,
                             .active = true};
        snprintf(p->unit.code, sizeof p->unit.code, "%s", points[i].unit);
        int rc = store_point_put(d->st, p, at, e);
        if (rc) return rc;
        p->name = (char *)points[i].name; /* borrowed, as given */
    }
    return 0;
}

/* A working day's evaluations at each point, in office hours, mostly good;
 * a 差评 with a comment becomes a case, which its unit puts right within
 * days and the centre calls back. */
static int evaluate_day(demo *d, int32_t day, err *e) {
    if (!cal_is_workday(d->env->cal, day)) return 0;
    int tz = d->env->tz;
    for (size_t i = 0; i < sizeof points / sizeof *points; i++) {
        int n = (int)(points[i].per_day * (0.5 + u01(&d->er)) + 0.5);
        for (int k = 0; k < n; k++) {
            int64_t at = dt_day_start(day, tz) + between(&d->er, hours(8.6), hours(17.9));
            if (at > d->end) continue;
            double x = u01(&d->er);
            evaluation ev = {.level = x < 0.62 ? EV_VERY_SATISFIED : x < 0.86 ? EV_SATISFIED
                                     : x < 0.94 ? EV_BASIC : x < 0.975 ? EV_UNSATISFIED
                                                                   : EV_VERY_UNSATISFIED};
            char phone[16];
            if (eval_is_bad(ev.level)) {
                ev.reasons = 1u << below(&d->er, 5);
                if (chance(&d->er, 0.5)) ev.comment = bad_comments[below(&d->er, 5)];
                if (ev.comment && chance(&d->er, 0.7)) {
                    snprintf(phone, sizeof phone, "139%08d", below(&d->er, 100000000));
                    ev.phone = phone;
                }
            }
            store_eval_source src = {.addr = "10.20.0.1", .addr_per_hour = 1000000};
            for (int b = 0; b < 16; b++) src.device[b] = (unsigned char)next(&d->er);
            case_rec c;
            bool held;
            int rc = store_eval_add(d->st, &d->point[i], &ev, &src, at, &c, &held, e);
            if (rc) return rc;
            d->evaluations++;
            if (!c.id) continue;
            d->cases++;
            case_req acc = {.action = ACT_ACCEPT, .at = at + hours(2), .actor = "承办员",
                            .until = INT32_MIN, .solved = -1};
            case_req res = {.action = ACT_RESOLVE, .at = at + hours(24 * (2 + below(&d->er, 12))),
                            .actor = "承办员", .note = "已约谈窗口负责人，问题已整改并向评价人说明",
                            .until = INT32_MIN, .solved = -1};
            case_req visit = {.action = c.requester_phone ? ACT_VISIT : ACT_WAIVE_VISIT,
                              .at = res.at + hours(20), .actor = "12345话务员",
                              .note = c.requester_phone ? NULL : "评价人未留电话",
                              .satisfaction = SAT_SATISFIED, .solved = 1, .until = INT32_MIN};
            case_req close = {.action = ACT_CLOSE, .at = visit.at + hours(1), .actor = "督查室",
                              .until = INT32_MIN, .solved = -1};
            case_req *steps[] = {&acc, &res, &visit, &close};
            for (size_t s = 0; s < 4 && rc >= 0; s++) rc = step(d, &c, steps[s], e);
            if (rc >= 0) rc = -sweep_until(d, &c, d->end + 1, e); /* what it raised while it waited */
            case_rec_clear(&c);
            if (rc < 0) return -rc;
        }
    }
    return 0;
}

/* ---- 1+10+N: the indicators ------------------------------------------------ */

/* What the seeds state, as they state it: the 2023 targets (004, the 2023
 * 政府工作报告: GDP 7% 以上 ...; 居民收入 has none, "基本同步") and the 2024
 * actuals (001, a newspaper's year-end review, named as such); two different
 * years, never compared. Then, marked as demo
 * data, a target and monthly cumulative growth for the demo's own year, so
 * the page has a year to compare. */
static const struct { const char *code; double target23, actual24, demo_target; } seeded[] = {
    {"gdp", 7, 5.5, 6},          {"industry", 8, 7.8, 7},     {"investment", 11, 10, 9},
    {"retail", 8, 6.8, 6.5},     {"revenue", 6, -999, 5},      {"income_urban", -999, 4.5, 5},
    {"income_rural", -999, 5.8, 6.5},
};

static int seed_indicators(demo *d, int year, int last_month, err *e) {
    ind_row rows[8 * 16];
    char periods[16][24];
    size_t n = 0;
    for (int m = 1; m <= last_month && m <= 12; m++) snprintf(periods[m], sizeof periods[m], "%04d-%02d", year, m);
    char this_year[24];
    snprintf(this_year, sizeof this_year, "%04d", year);
    for (size_t i = 0; i < sizeof seeded / sizeof *seeded; i++) {
        if (seeded[i].target23 > -999)
            rows[n++] = (ind_row){.code = seeded[i].code, .kind = IND_TARGET, .period = "2023",
                                  .value = seeded[i].target23, .source = "2023年政府工作报告"};
        if (seeded[i].actual24 > -999)
            rows[n++] = (ind_row){.code = seeded[i].code, .kind = IND_ACTUAL, .period = "2024",
                                  .value = seeded[i].actual24, .source = "2024年年终综述（报纸报道）"};
        if (year == 2023 || year == 2024) continue; /* the seeds' years stay as they state them */
        rows[n++] = (ind_row){.code = seeded[i].code, .kind = IND_TARGET, .period = this_year,
                              .value = seeded[i].demo_target, .demo = true, .source = "演示数据"};
        for (int m = 2; m <= last_month && m <= 12; m++) { /* 1-2月 reported together, as usual */
            /* a cumulative rate that settles towards the target, from the code and month */
            int wobble = (int)((strlen(seeded[i].code) * 7 + (size_t)m * 13) % 21) - 10; /* -10..10 */
            double v = seeded[i].demo_target + (double)wobble / 10.0 - (i == 2 ? 1.8 : 0);
            rows[n++] = (ind_row){.code = seeded[i].code, .kind = IND_ACTUAL, .period = periods[m],
                                  .value = (double)(long)(v * 10) / 10, .demo = true, .source = "演示数据"};
        }
    }
    /* each as it would be reported: a month's actual by the 15th of the
     * next, the rest at the start of the year (the demo's end at the latest) */
    int rc = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        int y = year, m = 1;
        if (rows[i].kind == IND_ACTUAL && strlen(rows[i].period) == 7) y = atoi(rows[i].period), m = atoi(rows[i].period + 5) + 1;
        if (m > 12) y++, m = 1;
        int64_t at = dt_day_start(dt_days_from_civil(y, m, rows[i].kind == IND_ACTUAL ? 15 : 1), d->env->tz) + 9 * 3600;
        rc = store_indicator_put(d->st, &rows[i], 1, "演示数据", at < d->end ? at : d->end, e);
    }
    return rc;
}

/* ---- 2022's 人大代表建议 and 政协提案 -------------------------------------------- */

/* 004: "办结回复人大代表建议122件、政协提案158件" — 2022's, each here a closed
 * case answered in writing. The counts are the seeds'; each case is
 * invented and says so in its title. */
static int seed_proposals_2022(demo *d, err *e) {
    static const char *const to[] = {"zjj", "cgj", "jyj", "wjw", "nyncj", "jtj", "sthj", "mzj", "rsj", "gxj"};
    int tz = d->env->tz, rc = 0;
    for (int i = 0; i < 122 + 158 && !rc; i++) {
        bool deputy = i < 122;
        int no = deputy ? i + 1 : i - 121;
        char title[128];
        snprintf(title, sizeof title, "（演示数据）2022年%s第%d号", deputy ? "人大代表建议" : "政协提案", no);
        int64_t t0 = dt_day_start(dt_days_from_civil(2022, 3, 10) + i % 20, tz) + hours(9);
        case_rec in = {.channel = deputy ? CH_DEPUTY : CH_CPPCC, .klass = CL_GENERAL, .title = title,
                       .received_at = t0, .appeal = AP_SUGGESTION}, c;
        /* the stored case, its strings its own (in's are borrowed) */
        if ((rc = store_case_create(d->st, &in, "人大政协联络", e)) || (rc = store_case_get(d->st, in.id, &c, e))) break;
        case_req r;
        int u = unit_index(to[i % 10]);
        case_req_init(&r, ACT_DISPATCH, t0 + hours(24), "督查室");
        r.lead = d->unit[u];
        STEP(r);
        case_req_init(&r, ACT_ACCEPT, c.updated_at + hours(4), "承办单位");
        STEP(r);
        case_req_init(&r, ACT_RESOLVE, c.updated_at + hours(24 * (30 + i % 40)), "承办单位");
        r.answer = i % 50 < 40 ? ANS_A : i % 50 < 46 ? ANS_B : i % 50 < 49 ? ANS_C : ANS_D;
        r.note = r.answer == ANS_A ? "已书面答复，所提事项已办理解决。" : r.answer == ANS_D ? "已书面答复，所提建议留作参考。"
                                   : "已书面答复，正在推进，承诺期限内完成。";
        if (CASE_PROMISES(r.answer)) r.until = dt_days_from_civil(2022, 11, 30) - i % 30;
        STEP(r);
        case_req_init(&r, ACT_VISIT, c.updated_at + hours(48), "督查室");
        r.satisfaction = i % 25 ? SAT_SATISFIED : SAT_BASIC;
        r.solved = r.answer == ANS_A;
        STEP(r);
        case_req_init(&r, ACT_CLOSE, CASE_PROMISES(c.answer) ? dt_day_start(c.promise_day + 2, tz) + hours(10)
                                                             : c.updated_at + hours(24), "督查室");
        if (CASE_PROMISES(c.answer)) r.note = "经核实，答复承诺事项已落实";
        STEP(r);
    out:
        if (!rc) rc = sweep_until(d, &c, d->end + 1, e);
        case_rec_clear(&c);
    }
    return rc;
}

/* ---- 三个一批: the 2023 三十工程, 2024's 43 projects, the demo's own years ---- */

/* The thirty projects of 2023 by name, as 004 lists them, with the total
 * investment where 004 states it (万元; 0: not stated). What the seeds do
 * not state — level, unit, leader, other amounts, stage days, monthly
 * progress — is invented, deterministic, and stored marked as demo data. */
static const struct { const char *name, *unit; proj_category cat; bool continuing; double total; } thirty[] = {
    {"孟州市绿色皮革高端制造综合产业园项目", "gxj", PC_INDUSTRY, false, 1000000},       /* 100亿元 */
    {"孟州市氢燃料电堆核心零部件产业园项目", "gxj", PC_INDUSTRY, false, 500000},        /* 50亿元 */
    {"河南皓泽电子股份有限公司皓泽电子信息产业园项目", "gxj", PC_INDUSTRY, false, 500000}, /* 50亿元 */
    {"河南飞孟金刚石股份有限公司工业级超硬材料研发生产基地项目", "kjj", PC_INDUSTRY, false, 200000}, /* 20亿元 */
    {"孟州市金玉米科技产业园项目", "fgw", PC_INDUSTRY, false, 152000},                  /* 15.2亿元 */
    {"河南旭创光电新材料有限公司孟州光电显示材料一期UTG超薄柔性玻璃项目", "gxj", PC_INDUSTRY, true, 0},
    {"孟州市巨力索具（河南）有限公司索具科技产业园", "gxj", PC_INDUSTRY, true, 0},
    {"杭州麦克斯公司年产20万吨高品质功能性淀粉糖项目", "fgw", PC_INDUSTRY, false, 106000}, /* 10.6亿元 */
    {"河南汉永生物科技有限公司优质谷朊粉及高值转化系列产品开发项目", "fgw", PC_INDUSTRY, true, 0},
    {"河南上丰新材料有限公司年生产3万吨新型塑料管材项目", "gxj", PC_INDUSTRY, false, 0},
    {"高速公路工程", "jtj", PC_INFRA, true, 0},
    {"两大灌区配套工程", "slj", PC_INFRA, true, 0},
    {"孟州市德众保税物流产业园项目", "swj", PC_INFRA, true, 0},
    {"孟州市交通物流园项目", "jtj", PC_INFRA, false, 0},
    {"孟州市东环路、南环路机动车道大修项目", "zjj", PC_INFRA, true, 0},
    {"乡村振兴培训中心项目", "nyncj", PC_INFRA, true, 0},
    {"孟州市蟒河河道治理工程（白墙水库~孟州界段）", "slj", PC_INFRA, false, 0},
    {"韩愈大街综合提升改造工程、河阳大街中段综合提升改造工程", "zjj", PC_INFRA, false, 0},
    {"孟州市X107谷黄线路网改善工程", "jtj", PC_INFRA, false, 0},
    {"孟州市2022年燃气管道等更新改造项目", "zjj", PC_INFRA, false, 0},
    {"孟州市第一人民医院项目", "wjw", PC_LIVELIHOOD, true, 0},
    {"城乡供排水一体化项目", "zjj", PC_LIVELIHOOD, false, 0},
    {"孟州市第六幼儿园项目", "jyj", PC_LIVELIHOOD, true, 0},
    {"文公中学新建宿舍楼项目", "jyj", PC_LIVELIHOOD, false, 0},
    {"开展农村背街小巷整治行动", "nyncj", PC_LIVELIHOOD, false, 0},
    {"加强残障救助，提高困难残疾人生活品质", "mzj", PC_LIVELIHOOD, false, 0},
    {"持续提升基层医疗机构服务能力", "wjw", PC_LIVELIHOOD, false, 0},
    {"开展职业技能培训和评价取证", "rsj", PC_LIVELIHOOD, false, 0},
    {"开展“两癌”筛查工作", "wjw", PC_LIVELIHOOD, false, 0},
    {"困难老年人家庭适老化改造项目", "mzj", PC_LIVELIHOOD, false, 0},
};
#define N_THIRTY ((int)(sizeof thirty / sizeof *thirty))

/* Registers a year's projects at its start, then each month's progress as
 * reported by the 5th of the next month, up to the demo's end (a month not
 * yet reported is not). pace[i]: the share of its monthly plan project i
 * completes. */
static int add_year(demo *d, store_project *p, size_t n, int year, const double *pace, err *e) {
    int tz = d->env->tz;
    int64_t jan = dt_day_start(dt_days_from_civil(year, 1, 3), tz) + 9 * 3600;
    if (jan > d->end) return 0;
    int rc = store_project_add(d->st, p, n, NULL, "演示数据", jan, e);
    char month[24];
    for (int m = 1; !rc && m <= 12; m++) {
        int64_t at = dt_day_start(dt_days_from_civil(year + m / 12, m % 12 + 1, 5), tz) + 9 * 3600;
        if (at > d->end) break;
        snprintf(month, sizeof month, "%04d-%02d", year, m);
        for (size_t i = 0; !rc && i < n; i++) {
            store_progress g = {.name = p[i].name, .year = year, .month = month, .demo = true,
                                .completed = (double)(long)(p[i].year_plan * pace[i] / 12 * 100) / 100,
                                .progress = m == 12 ? "按计划推进" : NULL};
            rc = store_project_progress(d->st, &g, 1, "演示数据", at, e);
        }
    }
    return rc;
}

/* The thirty as registered for `year`: 2023 as 004 plans it; a later year
 * carries them on (续建), the big ones still building. */
static int seed_thirty(demo *d, int year, err *e) {
    static const char *const leaders[] = {"张市长", "李副市长", "王副市长", "赵副市长", "刘副市长"};
    store_project p[N_THIRTY];
    double pace[N_THIRTY];
    int32_t jan1 = dt_days_from_civil(year, 1, 1), y23 = dt_days_from_civil(2023, 1, 1);
    for (int i = 0; i < N_THIRTY; i++) {
        store_project *x = &p[i];
        memset(x, 0, sizeof *x);
        snprintf(x->name, sizeof x->name, "%s", thirty[i].name);
        snprintf(x->unit.code, sizeof x->unit.code, "%s", thirty[i].unit);
        snprintf(x->leader, sizeof x->leader, "%s", leaders[i % 5]);
        x->category = thirty[i].cat;
        x->level = i < 4 ? PL_PROVINCE : i % 3 == 0 ? PL_JIAOZUO : PL_CITY;
        x->year = year;
        x->demo = true;
        int scale = thirty[i].cat == PC_LIVELIHOOD ? 800 : thirty[i].cat == PC_INFRA ? 6000 : 9000;
        x->total = thirty[i].total ? thirty[i].total : (double)(scale * (2 + i % 7));
        /* a big project's plan for a year: a share of its total, over four years */
        x->year_plan = thirty[i].total ? thirty[i].total / 4 : (double)(scale * (1 + i % 3)) / 2;
        /* 续建: started before 2023; the others signed and started in it,
         * the first industrial ones in production by its end */
        bool before = thirty[i].continuing;
        x->stage = PS_STARTED;
        x->stage_day[PS_SIGNED] = before ? y23 - 400 + i : y23 + 20 + 3 * i;
        x->stage_day[PS_STARTED] = before ? y23 - 300 + i : y23 + 60 + 5 * i;
        if (thirty[i].cat == PC_INDUSTRY && i % 4 == 1 && (year > 2023 || i < 8)) {
            x->stage = PS_PRODUCING;
            x->stage_day[PS_PRODUCING] = year > 2023 ? jan1 + 60 + i : y23 + 300 + i;
        }
        /* most on pace, a few behind (red, yellow); a slow unit's behind */
        pace[i] = i % 10 == 7 ? 0.55 : i % 10 == 3 ? 0.93 : 1.0 + (double)(i % 4) / 10;
        if (profile_of(unit_index(thirty[i].unit))->ontime < 0.7) pace[i] *= 0.6;
    }
    return add_year(d, p, N_THIRTY, year, pace, e);
}

/* 2024: "实施“三个一批”项目43个、总投资345亿元" (001, a newspaper's year-end
 * review). The count and the sum are the seed's; the names (four from the
 * same review, the rest numbered) and each amount are invented and say so. */
static int seed_2024(demo *d, err *e) {
    enum { N = 43 };
    static const char *const named[] = {"巨力索具（河南）科技产业园项目", "河南省低碳清洁能源内燃机摩擦副组件中试基地项目",
                                        "沁伊高速孟州段（黄河特大桥）项目", "泰龙化工项目"};
    static const char *const units4[] = {"gxj", "kjj", "jtj", "gxj"};
    store_project p[N];
    double pace[N], weight[N], sum = 0, left = 3450000; /* 345亿元, in 万元 */
    for (int i = 0; i < N; i++) sum += weight[i] = 1 + (i * 7) % 11;
    for (int i = 0; i < N; i++) {
        store_project *x = &p[i];
        memset(x, 0, sizeof *x);
        if (i < 4) {
            snprintf(x->name, sizeof x->name, "%s", named[i]);
            snprintf(x->unit.code, sizeof x->unit.code, "%s", units4[i]);
        } else {
            snprintf(x->name, sizeof x->name, "（演示数据）2024年“三个一批”项目第%d号", i + 1);
            snprintf(x->unit.code, sizeof x->unit.code, "%s", thirty[i % N_THIRTY].unit);
        }
        snprintf(x->leader, sizeof x->leader, "%s", i % 2 ? "王副市长" : "李副市长");
        x->category = i % 3 == 0 ? PC_INFRA : PC_INDUSTRY;
        x->level = i < 7 ? PL_PROVINCE : i < 38 ? PL_JIAOZUO : PL_CITY; /* 7个省重点、31个市重点 */
        x->year = 2024;
        x->demo = true;
        /* whole 万元 adding up to the seed's total exactly */
        x->total = i + 1 < N ? (double)(long)(3450000 * weight[i] / sum) : left;
        left -= x->total;
        x->year_plan = (double)(long)(x->total / 3);
        x->stage = PS_STARTED;
        x->stage_day[PS_SIGNED] = dt_days_from_civil(2024, 1, 10) + i;
        x->stage_day[PS_STARTED] = dt_days_from_civil(2024, 3, 1) + 2 * i;
        pace[i] = 1.0 + (double)(i % 3) / 20;
    }
    return add_year(d, p, N, 2024, pace, e);
}

static int seed_projects(demo *d, int first_year, int last_year, err *e) {
    int rc = seed_thirty(d, 2023, e);
    if (!rc) rc = seed_2024(d, e);
    for (int y = first_year; !rc && y <= last_year; y++)
        if (y > 2024) rc = seed_thirty(d, y, e);
    return rc;
}

/* ---- 1+10+N: the "10" key tasks of the demo's last year -------------------- */

/* One task for each of the ten key works, led by a unit, with milestones at
 * the ends of March, June and September (those after it is made) and its own
 * day in late December; each milestone taken at once and finished by its
 * day or, for a slow unit more often, some days late. */
static int seed_tasks(demo *d, int year, int32_t first, err *e) {
    static const char *const lead[TASK_KEY_GROUPS] = {"fgw", "gxj", "zjj", "kjj", "gxj",
                                                      "zjj", "nyncj", "sthj", "mzj", "yjglj"};
    static const char *const titles[TASK_KEY_GROUPS] = {
        "推进“三个一批”项目建设，确保年度投资目标完成", "深化“万人助万企”活动，解决企业诉求", "完成灾后恢复重建收尾工程",
        "培育高新技术企业和科技型中小企业", "培育壮大生物化工和装备制造产业集群", "实施城市更新和老旧小区改造",
        "推进高标准农田建设和乡村振兴示范村创建", "打好蓝天碧水净土保卫战", "办好年度十项重点民生实事",
        "开展安全生产治本攻坚三年行动"};
    int tz = d->env->tz, rc = 0;
    int32_t made = dt_days_from_civil(year, 1, 6);
    if (made < first) made = first;
    int64_t at = dt_day_start(made, tz) + 9 * 3600;
    if (at > d->end) return 0;
    for (int i = 0; !rc && i < TASK_KEY_GROUPS; i++) {
        task_milestone m[3];
        char mt[3][96];
        int n = 0;
        for (int q = 1; q <= 3; q++) {
            int32_t due = dt_days_from_civil(year, 3 * q, q == 1 ? 31 : 30);
            if (due <= made) continue;
            snprintf(mt[n], sizeof mt[n], "第%d季度节点：完成年度任务的%d%%", q, 25 * q);
            m[n] = (task_milestone){mt[n], due};
            n++;
        }
        int u = unit_index(lead[i]);
        store_task_spec t = {.title = titles[i], .description = "（演示数据）年度重点任务", .group = task_key_groups[i],
                             .leader = i % 2 ? "王副市长" : "李副市长", .kind = TASK_KEY, .unit = d->unit[u],
                             .due = dt_days_from_civil(year, 12, 25), .milestones = m, .n_milestones = n};
        int64_t task_id;
        if ((rc = store_task_create(d->st, &t, "督查室", at, &task_id, e))) break;
        /* the task and its milestones, each driven as its unit works */
        int64_t ids[4] = {task_id};
        for (int k = 0; k < n; k++) ids[k + 1] = task_id + 1 + k; /* made in order, in one transaction */
        const profile *pf = profile_of(u);
        for (int k = 0; k <= n && !rc; k++) {
            case_rec c;
            memset(&c, 0, sizeof c);
            if ((rc = store_case_get(d->st, ids[k], &c, e))) break;
            case_req r;
            case_req_init(&r, ACT_ACCEPT, at + hours(2 + k), "承办单位");
            STEP(r);
            case_req_init(&r, ACT_FEEDBACK, c.accepted_at + hours(24), "承办单位"); /* the 3 of 13710 */
            r.note = "已制定推进计划，明确责任人和时间节点";
            STEP(r);
            int64_t due = c.due[DUE_RESOLVE];
            case_req_init(&r, ACT_RESOLVE, chance(&d->r, pf->ontime) ? due - hours(24 * (2 + below(&d->r, 10)))
                                                                    : due + hours(24 * (3 + below(&d->r, 20))), "承办单位");
            r.note = "节点任务已完成，报送佐证材料";
            STEP(r);
        out:
            if (!rc) rc = sweep_until(d, &c, d->end + 1, e);
            case_rec_clear(&c);
        }
    }
    return rc;
}

static int seed_reference(demo *d, err *e) {
    int rc;
    for (int i = 0; i < N_UNITS; i++) {
        unit_kind k;
        unit_kind_parse(units[i].kind, &k, NULL);
        if ((rc = store_unit_add(d->st, units[i].code, units[i].name, k, NULL, 0, NULL, e)) ||
            (rc = store_unit_find(d->st, units[i].code, &d->unit[i], e)))
            return rc;
    }
    for (int i = 0; i < N_CATS; i++)
        if ((rc = store_category_add(d->st, cats[i].code, cats[i].name, cats[i].parent,
                                     cats[i].unit, NULL, e)) ||
            (rc = store_category_find(d->st, cats[i].code, &d->cat[i], e)))
            return rc;
    /* What a field crew needs to know before it goes out. */
    ref_attribute manhole = {.code = "manhole_type", .datatype = "singlevaluelist",
                               .description = "井盖类型", .required = true, .n_choices = 4,
                               .choice_key = {"rain", "sewage", "power", "telecom"},
                               .choice_name = {"雨水井", "污水井", "电力井", "通信井"}};
    ref_attribute pole = {.code = "pole_number", .datatype = "string",
                            .description = "路灯杆编号（杆身喷涂的号码）"};
    if ((rc = store_attribute_put(d->st, "cg.manhole", &manhole, false, NULL, e)) ||
        (rc = store_attribute_put(d->st, "cj.light", &pole, false, NULL, e)))
        return rc;
    return 0;
}

int cmd_demo(cli *c, int argc, char **argv, err *e) {
    static const cli_optspec spec[] = {{"seed", OPT_ARG}, {"months", OPT_ARG},
                                       {"per-month", OPT_ARG}, {"end", OPT_ARG}, {NULL, 0}};
    cli_args a;
    int64_t seed = 13710, months = 12, per_month = 2000;
    int32_t end_day = 0;
    int rc = cli_parse(argc, argv, spec, 0, 0,
                       "duban demo [--seed N] [--months 1-36] [--per-month N] [--end YYYY-MM-DD]",
                       &a, e);
    if (rc || (cli_opt(&a, "seed") && (rc = cli_int(cli_opt(&a, "seed"), "--seed", 0, INT64_MAX, &seed, e))) ||
        (cli_opt(&a, "months") && (rc = cli_int(cli_opt(&a, "months"), "--months", 1, 36, &months, e))) ||
        (cli_opt(&a, "per-month") && (rc = cli_int(cli_opt(&a, "per-month"), "--per-month", 1, 100000, &per_month, e))) ||
        (cli_opt(&a, "end") && (rc = dt_parse_date(cli_opt(&a, "end"), &end_day, e))))
        return rc;
    if ((rc = cli_open(c, true, e))) return rc;
    store_summary sum;
    if ((rc = store_summary_get(c->st, 0, &sum, e))) return rc;
    if (sum.units > 0 || sum.cases > 0)
        return err_set(e, ERR_CONFLICT, "db", "database '%s' already has data; the demo needs a new one",
                       c->db_label);
    demo d = {.st = c->st, .r = {(uint64_t)seed}, .er = {(uint64_t)seed * 31 + 7},
              .env = store_env(c->st)};
    static uint64_t key_seed; /* outlives this call, as the store keeps a pointer to it */
    key_seed = (uint64_t)seed;
    store_set_key_source(d.st, demo_key, &key_seed);
    int tz = d.env->tz;
    if (!cli_opt(&a, "end")) end_day = dt_local_day(c->now, tz); /* today, so "now" views look current */
    d.end = dt_day_start(end_day, tz) + hours(18);
    if (!cli_opt(&a, "end") && d.end > c->now) d.end = c->now; /* nothing after now */
    int y, m, dd;
    dt_civil_from_days(end_day, &y, &m, &dd);
    /* `months` whole months ending on end_day: from the day after the same date
     * `months` earlier (or that month's last day). */
    int m0 = (y * 12 + m - 1) - (int)months, y0 = m0 / 12, mo0 = m0 % 12 + 1;
    int dim = dt_days_in_month(y0, mo0);
    int32_t first = dt_days_from_civil(y0, mo0, dd < dim ? dd : dim) + 1;
    int first_year, fm, fd;
    dt_civil_from_days(first, &first_year, &fm, &fd);
    if ((rc = store_begin(d.st, e))) return rc;
    json_t *accts = json_array();
    if ((rc = seed_reference(&d, e)) || (rc = seed_kb(&d, dt_day_start(first, tz), e)) ||
        (rc = seed_accounts(&d, d.end, accts, e)) ||
        (rc = seed_points(&d, dt_day_start(first, tz), e)) ||
        (rc = seed_indicators(&d, y, m - 1, e)) ||
        (rc = seed_proposals_2022(&d, e)) || (rc = seed_projects(&d, first_year, y, e)) ||
        (rc = seed_tasks(&d, y, first, e)))
        goto fail;
    double per_day = (double)per_month * 12 / 365;
    int last_month = -1;
    bool tty = isatty(STDERR_FILENO);
    for (int32_t day = first; day <= end_day; day++) {
        bool work = cal_is_workday(d.env->cal, day);
        /* weekdays carry most calls; the factors average to 1 over a year */
        int n = (int)(per_day * (work ? 1.25 : 0.5) * (0.85 + 0.3 * u01(&d.r)) + 0.5);
        for (int i = 0; i < n; i++) {
            double p = u01(&d.r), acc = 0;
            case_channel ch = CH_HOTLINE;
            for (size_t k = 0; k < sizeof mix / sizeof *mix; k++)
                if (p < (acc += mix[k].share)) { ch = mix[k].ch; break; }
            double q = u01(&d.r);
            case_class cl = ch == CH_LEADER_TASK ? (q < 0.6 ? CL_MAJOR : CL_GENERAL)
                            : q < 0.04 ? CL_URGENT : q < 0.12 ? CL_MAJOR : CL_GENERAL;
            int64_t t0 = dt_day_start(day, tz) +
                         (chance(&d.r, 0.85) ? between(&d.r, hours(8), hours(19)) : between(&d.r, 0, hours(24)));
            if (t0 > d.end) continue;
            int township = FIRST_TOWNSHIP + below(&d.r, N_UNITS - FIRST_TOWNSHIP);
            if (ch == CH_HOTLINE && cl == CL_GENERAL && chance(&d.r, 0.45))
                rc = consult(&d, t0, township, e);
            else
                rc = drive(&d, ch, cl, pick_category(&d, ch), township, t0, e);
            if (rc) goto fail;
        }
        if (day > end_day - 6 && (rc = spike(&d, day, e))) goto fail;
        if ((rc = evaluate_day(&d, day, e))) goto fail;
        int yy, mm, ddd;
        dt_civil_from_days(day, &yy, &mm, &ddd);
        if (mm != last_month || day == end_day) {
            fprintf(stderr, "%sdemo: %04d-%02d  %lld cases, %lld actions%s", tty ? "\r" : "", yy,
                    mm, (long long)d.cases, (long long)d.actions, tty ? "" : "\n");
            last_month = mm;
        }
        if ((rc = store_commit(d.st, e)) || (rc = store_begin(d.st, e))) goto fail;
    }
    if ((rc = store_commit(d.st, e))) return rc;
    if (tty) fputc('\n', stderr);
    /* the search index, as a server's indexer would have kept it */
    for (int n = 10000; n == 10000;)
        if ((rc = store_text_index(d.st, 10000, &n, e))) return rc;
    int64_t raised, first_notice;
    if ((rc = store_sweep(d.st, d.end, &raised, &first_notice, e)) ||
        (rc = store_summary_get(d.st, d.end, &sum, e))) {
        json_decref(accts);
        return rc;
    }
    json_t *by = json_object();
    for (int k = 0; k < ST_COUNT; k++)
        json_object_set_new(by, case_status_name((case_status)k), json_integer(sum.by_status[k]));
    char from_s[11], to_s[11];
    dt_format_date(first, from_s);
    dt_format_date(end_day, to_s);
    cli_print(json_pack("{s:s, s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:I, s:o}", "db", c->db_label,
                        "seed", (json_int_t)seed, "from", from_s, "to", to_s, "units",
                        (json_int_t)sum.units, "categories", (json_int_t)sum.categories, "cases",
                        (json_int_t)sum.cases, "events", (json_int_t)sum.events, "notices",
                        (json_int_t)sum.notices, "evaluations", (json_int_t)d.evaluations, "by_status", by, "overdue_at_end",
                        (json_int_t)sum.overdue, "accounts", accts));
    return 0;
fail:
    json_decref(accts);
    store_rollback(d.st);
    return rc;
}
