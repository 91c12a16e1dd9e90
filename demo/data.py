"""Static data of the demo county: Guanling (关岭布依族苗族自治县, Anshun, Guizhou), seed 001.

Townships and subdistricts are the current ones of the national statistical division codes
(the 2023 list, codes 520424002–520424202): four subdistricts (关索, 顶云, 龙潭, 百合), nine
towns and one township. 丁旗街道 belongs to neighbouring Zhenning county, and 八德乡 and 板贵乡
of the 2013 list no longer appear, so none of them is listed.

Village names of 关索, 花江, 永宁 and 岗乌 are the real ones of the 2013 list (241 villages and
13 residents' committees then; 永宁's "街道居委会" is called 永宁居委会 here). 板贵乡's 三家寨村
and 孔落箐村 are listed under 花江镇, the other villages of the former 关索镇 are shared between
关索, 龙潭 and 百合街道, and a few famous names (顶云 石板井村, 新铺 塘铺) are real. The other
names are plausible local names, and which subdistrict holds which village after the
mergers of 2015–2020 is not verified: this is demo data.
Populations are invented (索岭社区's is its published figure), with four villages exactly on
the quota boundaries of seed 001: 关索街道城内村 2000 (1 post), 花江镇和平村 2001 (2),
花江镇享乐村 4999 (2) and 关索街道场坝村 5000 (3).
"""

import datetime
from dataclasses import dataclass

from accounts.constants import Role
from organisation.constants import TownshipKind, VillageKind

SEED = 20140709  # the day the county scheme was issued
REGION_CODE = "520424"  # Guanling in GB/T 2260; the first six digits of local ID numbers
PROVINCE_PREFIX = "贵州省安顺市"
POPULATION_DATE = datetime.date(2026, 1, 1)

COUNTY = {
    "name": "关岭布依族苗族自治县",
    "short_name": "关岭自治县",
    # The 2014 scheme names 县人口和计划生育局; after the 2019 institutional reform the work
    # belongs to the health commission, which is the body that issues documents today.
    "hr_office": "关岭自治县卫生健康局",
}

POLICY_EFFECTIVE_FROM = datetime.date(2014, 7, 9)
POLICY_TITLE = "关岭自治县进一步加强村级人口计生队伍职业化建设实施方案"
POLICY_NOTE = "县委办、县政府办2014年7月9日印发；各项数字取系统默认值。"


@dataclass(frozen=True)
class TownshipData:
    name: str
    code: str  # statistical division code, for reference
    villages: tuple[tuple[str, int], ...]  # (name, registered population)

    @property
    def kind(self) -> str:
        if self.name.endswith("街道"):
            return TownshipKind.SUBDISTRICT
        if self.name.endswith("镇"):
            return TownshipKind.TOWN
        return TownshipKind.TOWNSHIP

    @property
    def government(self) -> str:
        if self.kind == TownshipKind.SUBDISTRICT:
            return f"{self.name}办事处"
        return f"{self.name}人民政府"


def village_kind(name: str) -> str:
    if name.endswith("社区"):
        return VillageKind.COMMUNITY
    if name.endswith("居委会"):
        return VillageKind.RESIDENTS
    return VillageKind.VILLAGE


# fmt: off
TOWNSHIPS: tuple[TownshipData, ...] = (
    TownshipData("关索街道", "520424003", (
        ("索岭社区", 5925), ("文化社区", 4380), ("振兴社区", 3620), ("场坝村", 5000),
        ("关脚村", 1860), ("城内村", 2000), ("云头村", 1420), ("大地庄村", 1275),
        ("菠萝沟村", 960), ("摆布村", 1530), ("西坪村", 2240), ("兴发村", 1715),
        ("许土村", 1390), ("北口村", 2685),
    )),
    TownshipData("顶云街道", "520424002", (
        ("顶云社区", 5210), ("石板井村", 2480), ("新寨村", 1460), ("陇嘎村", 1760),
        ("打油寨村", 1330), ("凉水井村", 1120), ("鸡场村", 890), ("小河边村", 2050),
        ("坡头村", 3275), ("营盘村", 1575),
    )),
    TownshipData("龙潭街道", "520424004", (
        ("龙潭村", 2860), ("大龙滩村", 1940), ("落叶村", 1185), ("新生村", 2310),
        ("民族村", 1655), ("岭岗村", 1050), ("板王村", 1340), ("墩子村", 2120),
        ("大桥村", 3410), ("高寨村", 1480),
    )),
    TownshipData("百合街道", "520424007", (
        ("百合社区", 6480), ("安康社区", 4215), ("大水村", 1690), ("小水村", 1240),
        ("斗蓬村", 1365), ("高坡村", 905), ("大兴村", 1810),
    )),
    TownshipData("永宁镇", "520424102", (
        ("永宁居委会", 3150), ("第一村", 1820), ("第二村", 1635), ("第三村", 1480),
        ("张家坝村", 2290), ("养马村", 1910), ("白岩村", 2575), ("客田村", 1345),
        ("围墙村", 1120), ("龙潭村", 1690), ("五指山村", 980), ("太坪村", 2415),
        ("团元村", 1260), ("安庄村", 1555),
    )),
    TownshipData("岗乌镇", "520424103", (
        ("新场坝居委会", 2840), ("岗联村", 1965), ("柏寨村", 1430), ("打鼓村", 2155),
        ("新发村", 1280), ("上寨村", 1725), ("陇古村", 1190), ("正界村", 1015),
        ("谷目村", 2360), ("包包村", 870), ("纳马村", 1540), ("木城村", 2630),
    )),
    TownshipData("上关镇", "520424104", (
        ("上关社区", 3480), ("上关村", 2720), ("六合村", 2185), ("老乐村", 1640),
        ("落哨村", 1395), ("新寨村", 1810), ("红岩村", 1520), ("凉水井村", 1270),
        ("白果树村", 1050), ("核桃寨村", 925), ("大湾村", 1735),
    )),
    TownshipData("坡贡镇", "520424105", (
        ("坡贡社区", 3960), ("坡贡村", 2870), ("凡化村", 2240), ("高车村", 1590),
        ("打乐村", 1325), ("坝山村", 2015), ("卜寨村", 1460), ("落角村", 1180),
        ("顶坝村", 1045), ("新民村", 1720), ("纳然村", 1385),
    )),
    TownshipData("白水镇", "520424107", (
        ("白水社区", 3350), ("白水村", 2480), ("滑石村", 1620), ("龙井村", 1930),
        ("瓦厂村", 1310), ("田坝村", 1540), ("大寨村", 1160), ("水塘村", 985),
    )),
    TownshipData("新铺镇", "520424108", (
        ("新铺社区", 2960), ("新铺村", 2135), ("盘江村", 1760), ("卧龙村", 1420),
        ("大坪村", 1185), ("龙谷村", 1090), ("马场村", 1535), ("坡脚村", 945),
        ("纳堡村", 1275), ("塘铺村", 1660),
    )),
    TownshipData("沙营镇", "520424109", (
        ("沙营社区", 3215), ("沙营村", 2560), ("纳坝村", 1835), ("坝革村", 1410),
        ("阿蒙村", 1180), ("打落村", 1265), ("中寨村", 1950), ("岩脚村", 1030),
        ("木工村", 1490), ("牛角村", 905),
    )),
    TownshipData("花江镇", "520424110", (
        ("中山社区", 5380), ("和谐社区", 3880), ("和平村", 2001), ("解放村", 2745),
        ("新桥村", 1985), ("大元村", 1620), ("下哨村", 1435), ("杉木村", 1270),
        ("养元村", 1110), ("享乐村", 4999), ("永睦村", 1855), ("金钟村", 2310),
        ("胜利村", 1540), ("五里村", 1385), ("三家寨村", 2190), ("孔落箐村", 1725),
    )),
    TownshipData("断桥镇", "520424111", (
        ("断桥社区", 3060), ("断桥村", 2245), ("坝陵村", 1890), ("长田村", 1475),
        ("鸡场村", 1320), ("大盘江村", 1145), ("牛场村", 1680), ("江满村", 990),
        ("新寨村", 1215), ("冗贝村", 1385),
    )),
    TownshipData("普利乡", "520424202", (
        ("普利村", 2310), ("马马崖村", 1965), ("月亮湾村", 1240), ("卡子村", 1105),
        ("板围村", 1380), ("坝区村", 865), ("田坝村", 1550),
    )),
)
# fmt: on


@dataclass(frozen=True)
class NamedPerson:
    """A person fixed by hand: the directors behind the demo accounts and the rare names."""

    name: str
    birth_date: datetime.date
    order: int  # 3-digit sequence code of the ID number; odd for men
    township: str
    village: str
    post_number: int | None  # the post they hold, or None for an applicant
    education: str


# fmt: off
NAMED_PEOPLE: tuple[NamedPerson, ...] = (
    NamedPerson("王堃", datetime.date(1988, 3, 15), 13, "关索街道", "城内村", 1, "junior_college"),
    NamedPerson("韦春燕", datetime.date(1991, 8, 2), 24, "花江镇", "和平村", 1, "high_school"),
    NamedPerson("罗喆", datetime.date(1995, 11, 28), 37, "花江镇", "享乐村", 1, "bachelor"),
    NamedPerson("杨昇", datetime.date(1983, 5, 6), 51, "关索街道", "场坝村", 1,
                "secondary_vocational"),
    NamedPerson("龙䶮", datetime.date(1999, 1, 19), 73, "永宁镇", "第一村", None, "bachelor"),
)
# fmt: on

# Number of applicants (people without a post) to generate besides the named ones.
APPLICANTS = 40
# Share of active posts that have a director.
OCCUPIED_SHARE = 2 / 3


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Surnames common among the Buyei, Miao and Han of Guanling.
SURNAMES = tuple("王韦罗陆岑黄杨班伍卢梁吴龙熊陶石韩张李陈刘周赵郭胡何徐邓蒙付")
GIVEN_NAMES_MALE = _words(
    "志强 建华 文斌 海 勇 明 俊杰 国平 永福 天佑 正权 德明 光荣 家豪 世杰 兴旺 云飞 成林 伟 "
    "军 浩然 子昂 昌贵 发荣 开明 应龙 贵平 廷华 仕林 朝阳"
)
GIVEN_NAMES_FEMALE = _words(
    "春燕 丽 美玲 秀英 晓梅 艳 桂芳 金花 玉兰 婷 雪梅 慧 梦瑶 思雨 丹 芳 小芳 月娥 兰英 晓琳 "
    "春梅 凤仙 应芬 光蓉 明珍 朝英"
)
# Rare characters that forms, sorting and documents must handle: 堃, 喆, 昇 and 䶮 (CJK
# Extension A). A few generated people get one, besides the named people above.
RARE_GIVEN_NAMES_MALE = _words("堃 喆 昇 锦䶮 昇平")
RARE_GIVEN_NAMES_FEMALE = _words("喆 欣堃 婉昇")
RARE_NAME_SHARE = 0.04
MOBILE_PREFIXES = _words(
    "135 136 138 139 150 151 152 158 159 166 177 178 182 183 185 187 188 189 191 198 199"
)
# (education, years of schooling after birth at graduation, schools)
EDUCATIONS = (
    ("high_school", 18, ("关岭民族高级中学", "关岭自治县第二中学")),
    ("secondary_vocational", 18, ("关岭自治县中等职业学校", "安顺市卫生学校")),
    ("junior_college", 21, ("安顺职业技术学院", "黔南民族职业技术学院")),
    ("bachelor", 22, ("安顺学院", "贵州民族大学", "贵州师范大学")),
)
EDUCATION_WEIGHTS = (35, 20, 30, 15)
# Applicants include a few below the 高中 minimum so that eligibility review has work to do.
LOW_EDUCATIONS = (("junior_high", 15, ("关岭自治县关索中学", "花江中学")),)


@dataclass(frozen=True)
class DemoAccount:
    """A demo user. The password is printed by ``load_demo`` and set when the account is
    created; later runs leave it alone unless asked to reset it."""

    username: str
    password: str
    role: str
    last_name: str
    first_name: str
    township: str = ""
    village: str = ""
    person: str = ""  # name of a NamedPerson, for directors
    # The township committee member who heads the township's recruitment leading group and
    # approves its campaign announcements (Township.leading_group_head).
    heads_leading_group: bool = False


# fmt: off
ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", "Cunpin-2026-admin", Role.ADMINISTRATOR, "陈", "立新"),
    DemoAccount("county_hr", "Cunpin-2026-hr1", Role.COUNTY_HR, "罗", "敏"),
    DemoAccount("county_hr2", "Cunpin-2026-hr2", Role.COUNTY_HR, "杨", "帆"),
    DemoAccount("guansuo_head", "Cunpin-2026-guansuo0", Role.TOWNSHIP_COMMITTEE,
                "杨", "光荣", "关索街道", heads_leading_group=True),
    DemoAccount("guansuo_committee", "Cunpin-2026-guansuo1", Role.TOWNSHIP_COMMITTEE,
                "伍", "志强", "关索街道"),
    DemoAccount("guansuo_office", "Cunpin-2026-guansuo2", Role.TOWNSHIP_OFFICE,
                "岑", "丽", "关索街道"),
    DemoAccount("huajiang_head", "Cunpin-2026-huajiang0", Role.TOWNSHIP_COMMITTEE,
                "梁", "文斌", "花江镇", heads_leading_group=True),
    DemoAccount("huajiang_committee", "Cunpin-2026-huajiang1", Role.TOWNSHIP_COMMITTEE,
                "龙", "海", "花江镇"),
    DemoAccount("huajiang_office", "Cunpin-2026-huajiang2", Role.TOWNSHIP_OFFICE,
                "陆", "春梅", "花江镇"),
    # Committee members of the townships that show the contract term (``demo.term``).
    DemoAccount("gangwu_committee", "Cunpin-2026-gangwu", Role.TOWNSHIP_COMMITTEE,
                "熊", "正军", "岗乌镇"),
    DemoAccount("shangguan_committee", "Cunpin-2026-shangguan", Role.TOWNSHIP_COMMITTEE,
                "卢", "少华", "上关镇"),
    DemoAccount("pogong_committee", "Cunpin-2026-pogong", Role.TOWNSHIP_COMMITTEE,
                "陶", "建国", "坡贡镇"),
    DemoAccount("baishui_committee", "Cunpin-2026-baishui", Role.TOWNSHIP_COMMITTEE,
                "石", "玉兰", "白水镇"),
    DemoAccount("xinpu_committee", "Cunpin-2026-xinpu", Role.TOWNSHIP_COMMITTEE,
                "韩", "永福", "新铺镇"),
    # The township office and committee of the two townships that show the monthly
    # assessment (``demo.assessment``).
    DemoAccount("yongning_office", "Cunpin-2026-yongning1", Role.TOWNSHIP_OFFICE,
                "罗", "晓梅", "永宁镇"),
    DemoAccount("yongning_committee", "Cunpin-2026-yongning2", Role.TOWNSHIP_COMMITTEE,
                "王", "国庆", "永宁镇"),
    DemoAccount("longtan_office", "Cunpin-2026-longtan1", Role.TOWNSHIP_OFFICE,
                "刘", "春花", "龙潭街道"),
    DemoAccount("longtan_committee", "Cunpin-2026-longtan2", Role.TOWNSHIP_COMMITTEE,
                "谢", "明亮", "龙潭街道"),
    DemoAccount("village_chengnei", "Cunpin-2026-chengnei", Role.VILLAGE_COMMITTEE,
                "黄", "德明", "关索街道", "城内村"),
    DemoAccount("village_heping", "Cunpin-2026-heping", Role.VILLAGE_COMMITTEE,
                "班", "兴旺", "花江镇", "和平村"),
    DemoAccount("director_wang", "Cunpin-2026-wang", Role.DIRECTOR,
                "王", "堃", "关索街道", "城内村", "王堃"),
    DemoAccount("director_wei", "Cunpin-2026-wei", Role.DIRECTOR,
                "韦", "春燕", "花江镇", "和平村", "韦春燕"),
)
# fmt: on

# The director of the contract term's resignation example (``demo.term``), who asked to resign
# on her own account: created with her contract, once the term's directors are imported.
TERM_DIRECTOR_ACCOUNT = DemoAccount(
    "director_wu", "Cunpin-2026-wu", Role.DIRECTOR, "吴", "秀芬", "上关镇", "上关村", "吴秀芬"
)

# A director of a township the demo scores every month (``demo.assessment``): reads his slips,
# appraisals and rewards (the long-service reward) on 我的聘期. Created with his contract.
SCORED_DIRECTOR_ACCOUNT = DemoAccount(
    "director_chen",
    "Cunpin-2026-chen",
    Role.DIRECTOR,
    "陈",
    "永福",
    "龙潭街道",
    "大龙滩村",
    "陈永福",
)
