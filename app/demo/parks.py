"""Industrial parks, development zones, 特色小镇 and incubators of the demo.

Demo data, the project's own writing; coordinates approximate.

Every point and every boundary here is an approximate placement made for the
demo (no public point or boundary was found for these zones); the polygons are
schematic ("示意范围"), drawn a few km wide around the place they belong to.
Boundaries are closed rings of [lon, lat] pairs (first == last), WGS-84.

Two traps for the place linker are deliberate and true to the facts:
- 诸暨岛 belongs to 诸暨经济开发区 but lies in 杭州滨江区; no address is public,
  so it is pinned at the 滨江 district point and has no boundary and no radius.
- 杭州港 (一期 / 二期) is an incubator inside 诸暨, despite its name.

Descriptions, industries and operator names are the project's own writing
(operators are plausible, not checked).

A park claims a building inside its boundary, or within its own radius_km of its
centre; a park with neither claims none by distance (诸暨岛, whose address is not
public). 国际技术转移中心 and 杭州港 lie inside the 诸暨经济开发区 zone, so they have
small schematic boundaries of their own: the smallest boundary holding a point wins.
Every point and boundary lies inside its district's county boundary.

Keys: slug, name, aliases, kind ("产业园" | "开发区" | "特色小镇" | "离岛园区" |
"孵化器"), town (a slug in PLACES), lat, lon, radius_km, precision, boundary,
description, industries, operator.
"""

PARKS = [
    # ------------------------------------------------------------------ 诸暨
    {
        "slug": "ciwu-linhang-park",
        "name": "次坞镇临杭产业园",
        "aliases": ["临杭产业园"],
        "kind": "产业园",
        "town": "ciwu",
        "lat": 29.8850,
        "lon": 120.1700,
        "radius_km": None,
        "precision": "approximate",
        "boundary": [
            [120.152, 29.868],
            [120.188, 29.866],
            [120.196, 29.884],
            [120.188, 29.900],
            [120.162, 29.902],
            [120.152, 29.886],
            [120.152, 29.868],
        ],
        "description": (
            "次坞镇临杭产业园位于诸暨最北端，与杭州萧山只隔一道镇界，是诸暨承接杭州产业外溢的前哨。"
            "园区沿杭州二绕展开，首批用地集中在次坞和店口，之后逐步向应店街和姚江方向延伸。"
            "园内以标准厂房为主，也配有几栋面向研发和销售团队的办公楼。"
        ),
        "industries": "装备智造、汽车零部件、新材料",
        "operator": "诸暨市次坞镇人民政府",
    },
    {
        "slug": "zhuji-etdz",
        "name": "诸暨经济开发区",
        "aliases": ["诸暨经开区", "诸暨经济技术开发区"],
        "kind": "开发区",
        "town": "zhuji",
        "lat": 29.7600,
        "lon": 120.2650,
        "radius_km": None,
        "precision": "approximate",
        "boundary": [
            [120.242, 29.732],
            [120.270, 29.728],
            [120.300, 29.740],
            [120.305, 29.785],
            [120.275, 29.805],
            [120.245, 29.795],
            [120.238, 29.765],
            [120.242, 29.732],
        ],
        "description": (
            "诸暨经济开发区不是一个点，而是一片跨越陶朱、暨阳、大唐三个街道以及店口、姚江两镇部分区域的产业片区，规划面积约59平方公里。"
            "开发区统一负责片区内各平台的招商和企业服务，城区北部的杭州港孵化器和设在杭州滨江区的诸暨岛都归它运营。"
            "地图上的边界只示意城区东北一侧的主体范围，并非法定界线。"
        ),
        "industries": "智能视觉、高端装备、新材料、生物医药",
        "operator": "诸暨经济开发区管理委员会",
    },
    {
        "slug": "zhuji-island",
        "name": "诸暨岛",
        "aliases": ["诸暨岛孵化器"],
        "kind": "离岛园区",
        "town": "binjiang",
        "lat": 30.2080,
        "lon": 120.2110,
        "radius_km": None,
        "precision": "approximate",
        "boundary": None,
        "description": (
            "诸暨岛是诸暨经济开发区在杭州滨江区设立的离岛孵化器，名字属于诸暨，实体却在杭州。"
            "它借用滨江的人才和研发氛围吸引初创团队，项目成熟后再引导到诸暨本地建厂投产。"
            "因为没有公开的门牌地址，本站只把它标注在滨江区的区级位置。"
        ),
        "industries": "数字经济、研发设计、科技服务",
        "operator": "诸暨经济开发区管理委员会",
    },
    {
        "slug": "cecep-zhuji-eco-park",
        "name": "中节能(诸暨)环保产业园",
        "aliases": ["中节能环保产业园", "中节能（诸暨）环保产业园"],
        "kind": "产业园",
        "town": "yaojiang",
        "lat": 29.8280,
        "lon": 120.2620,
        "radius_km": 0.8,
        "precision": "approximate",
        "boundary": None,
        "description": (
            "这座园区位于姚江镇，靠近原直埠镇的老镇区，主攻节能环保装备和环境治理服务。"
            "北上萧山、南下诸暨城区都有高速可走，货运和通勤都不算远。"
            "园内以生产厂房为主，另有一批面积不大的研发办公单元。"
        ),
        "industries": "节能环保装备、环境服务、新材料",
        "operator": "中节能(诸暨)环保产业园运营服务中心",
    },
    {
        "slug": "zhuji-2025-creative-park",
        "name": "2025创意产业园",
        "aliases": ["2025创意园"],
        "kind": "产业园",
        "town": "jiyang",
        "lat": 29.7180,
        "lon": 120.2400,
        "radius_km": 0.3,
        "precision": "approximate",
        "boundary": None,
        "description": (
            "2025创意产业园在诸暨城区，由一片老厂房改造而成，红砖外墙和钢结构屋架都被保留下来。"
            "园里多是设计、广告、摄影和直播电商一类的小团队，几十平方米的小办公室很常见。"
            "步行可到城区商业街，开车去诸暨站大约十分钟。"
        ),
        "industries": "文化创意、设计服务、电子商务",
        "operator": "诸暨市二〇二五文创园运营有限公司",
    },
    {
        "slug": "zhuji-ittc",
        "name": "国际技术转移中心",
        "aliases": ["诸暨国际技术转移中心"],
        "kind": "孵化器",
        "town": "taozhu",
        "lat": 29.7420,
        "lon": 120.2520,
        "radius_km": None,
        "precision": "approximate",
        "boundary": [
            [120.2485, 29.7390],
            [120.2555, 29.7390],
            [120.2555, 29.7450],
            [120.2485, 29.7450],
            [120.2485, 29.7390],
        ],
        "description": (
            "国际技术转移中心设在诸暨城区北侧，帮本地制造企业寻找外部技术、专利和研发合作方。"
            "中心里有路演厅、共享实验室和可以灵活分割的办公空间，适合技术经纪、检测认证等科技服务机构入驻。"
        ),
        "industries": "技术转移、检验检测、科技服务",
        "operator": "诸暨经济开发区管理委员会",
    },
    {
        "slug": "hangzhou-port",
        "name": "杭州港",
        "aliases": ["杭州港一期", "杭州港二期"],
        "kind": "孵化器",
        "town": "taozhu",
        "lat": 29.7480,
        "lon": 120.2620,
        "radius_km": None,
        "precision": "approximate",
        "boundary": [
            [120.2585, 29.7450],
            [120.2655, 29.7450],
            [120.2655, 29.7510],
            [120.2585, 29.7510],
            [120.2585, 29.7450],
        ],
        "description": (
            "杭州港虽然叫这个名字，却不在杭州，而是位于诸暨城区北部，由诸暨经济开发区运营，分一期、二期两部分。"
            "取名的用意是接住从杭州过来的人才和项目：初创企业先在这里租一间小办公室，做大以后再转入开发区的产业用地。"
        ),
        "industries": "智能制造研发、数字经济、科技孵化",
        "operator": "诸暨经济开发区管理委员会",
    },
    {
        "slug": "huandong-digital-park",
        "name": "浣东数字经济产业园",
        "aliases": ["浣东数字园"],
        "kind": "产业园",
        "town": "huandong",
        "lat": 29.7240,
        "lon": 120.2680,
        "radius_km": 0.5,
        "precision": "approximate",
        "boundary": None,
        "description": (
            "浣东数字经济产业园在浦阳江东岸，离诸暨站不远，主要面向软件开发、数据服务和智能视觉方案团队。"
            "园区楼宇以中等层高的研发楼为主，楼下配有食堂和共享会议室。"
        ),
        "industries": "软件信息、智能视觉、数据服务",
        "operator": "诸暨市浣东街道产业服务中心",
    },
    {
        "slug": "diankou-hardware-park",
        "name": "店口五金产业园",
        "aliases": ["店口五金园"],
        "kind": "产业园",
        "town": "diankou",
        "lat": 29.9350,
        "lon": 120.3450,
        "radius_km": 1.0,
        "precision": "approximate",
        "boundary": None,
        "description": (
            "店口五金产业园依托店口镇几十年积累的铜材和五金配件产业链，也整合了原阮市镇一带的部分工业用地。"
            "入驻企业以中小制造商为主，近几年园区补上了研发办公楼和产品展示厅。"
            "园区北面就是萧山，企业与杭州客户往来很方便。"
        ),
        "industries": "铜材加工、五金配件、汽车零部件、环保装备",
        "operator": "诸暨市店口镇人民政府",
    },
    {
        "slug": "yingdianjie-smart-park",
        "name": "应店街智造产业园",
        "aliases": ["应店街智造园"],
        "kind": "产业园",
        "town": "yingdianjie",
        "lat": 29.8220,
        "lon": 120.1220,
        "radius_km": 0.8,
        "precision": "approximate",
        "boundary": None,
        "description": (
            "应店街智造产业园位于诸暨西北部的应店街镇，是临杭产业园向南延伸时新纳入的片区之一。"
            "园区以电机、机械装备和汽配加工为主，办公配套正在逐步完善，租金在全市处于较低水平。"
        ),
        "industries": "机械装备、电机、汽车零部件",
        "operator": "诸暨市应店街镇人民政府",
    },
    {
        "slug": "datang-sock-town",
        "name": "大唐袜业特色小镇",
        "aliases": ["袜艺小镇", "大唐袜艺小镇"],
        "kind": "特色小镇",
        "town": "datang",
        "lat": 29.6820,
        "lon": 120.1580,
        "radius_km": None,
        "precision": "approximate",
        "boundary": [
            [120.140, 29.670],
            [120.172, 29.671],
            [120.175, 29.692],
            [120.150, 29.697],
            [120.138, 29.686],
            [120.140, 29.670],
        ],
        "description": (
            "大唐袜业特色小镇建在大唐街道的袜业集群之上，把织造、定型、包装和线上销售串成一条完整的链条。"
            "小镇近年重点引进设计工作室、检测机构和直播团队，想让传统袜业从代工走向自有品牌。"
        ),
        "industries": "袜业、纺织机械、时尚设计、电子商务",
        "operator": "诸暨市大唐街道办事处",
    },
    {
        "slug": "shanxiahu-pearl-town",
        "name": "山下湖珍珠特色小镇",
        "aliases": ["珍珠小镇"],
        "kind": "特色小镇",
        "town": "shanxiahu",
        "lat": 29.8540,
        "lon": 120.3430,
        "radius_km": 1.0,
        "precision": "approximate",
        "boundary": None,
        "description": (
            "山下湖珍珠特色小镇以淡水珍珠的养殖、加工和交易为核心，近年直播带货让这里的写字间需求明显增加。"
            "小镇离白塔湖湿地不远，周边环境安静，适合做品牌设计和线上运营的团队。"
        ),
        "industries": "珍珠加工、珠宝设计、直播电商",
        "operator": "诸暨市山下湖镇人民政府",
    },
    # ------------------------------------------------------------------ 柯桥
    {
        "slug": "keqiao-etdz",
        "name": "柯桥经济技术开发区",
        "aliases": ["柯桥经开区", "绍兴柯桥经济技术开发区"],
        "kind": "开发区",
        "town": "keqiao",
        "lat": 30.0920,
        "lon": 120.4750,
        "radius_km": 1.0,
        "precision": "approximate",
        "boundary": None,
        "description": (
            "柯桥经济技术开发区位于柯桥城区北侧，早年以纺织印染起家，如今正把重心转向高端纺织、装备制造和新材料。"
            "区内写字楼多服务于面料贸易和研发企业，到中国轻纺城市场只需几分钟车程。"
        ),
        "industries": "现代纺织、装备制造、新材料",
        "operator": "绍兴柯桥经济技术开发区管理委员会",
    },
    {
        "slug": "keqiao-lanyin-town",
        "name": "柯桥蓝印时尚小镇",
        "aliases": ["蓝印时尚小镇", "蓝印小镇"],
        "kind": "特色小镇",
        "town": "keqiao",
        "lat": 30.0800,
        "lon": 120.4800,
        "radius_km": 0.8,
        "precision": "approximate",
        "boundary": None,
        "description": (
            "蓝印时尚小镇取名自当地的蓝印花布传统，定位为面料设计、时装研发和时尚发布的集聚地。"
            "小镇与中国轻纺城相互配合：市场负责交易，小镇负责设计和打样，吸引了不少独立设计师入驻。"
        ),
        "industries": "时尚设计、面料研发、创意服务",
        "operator": "柯桥区蓝印时尚小镇建设管理办公室",
    },
    # ------------------------------------------------------------------ 越城
    {
        "slug": "shaoxing-hitech",
        "name": "绍兴高新技术产业开发区",
        "aliases": ["绍兴高新区"],
        "kind": "开发区",
        "town": "yuecheng",
        "lat": 30.0220,
        "lon": 120.6000,
        "radius_km": 1.5,
        "precision": "approximate",
        "boundary": None,
        "description": (
            "绍兴高新区位于越城区北部，是绍兴市区科技企业最集中的片区之一，集成电路和生物医药是近年的招商重点。"
            "区内研发楼和总部楼较多，绍兴地铁1号线把绍兴市区与杭州地铁网连在一起，往来杭州不必开车。"
        ),
        "industries": "集成电路、生物医药、高端装备",
        "operator": "绍兴高新技术产业开发区管理委员会",
    },
    # ------------------------------------------------------------------ 上虞
    {
        "slug": "shangyu-etdz",
        "name": "杭州湾上虞经济技术开发区",
        "aliases": ["上虞经开区", "杭州湾上虞经开区"],
        "kind": "开发区",
        "town": "shangyu",
        "lat": 30.1250,
        "lon": 120.8600,
        "radius_km": 3.0,
        "precision": "approximate",
        "boundary": None,
        "description": (
            "杭州湾上虞经济技术开发区在上虞区北部的滨海地带，以精细化工和新材料起步，近年扩展到生物医药和装备制造。"
            "开发区内的办公楼主要服务于园区企业的管理和研发部门，与百官城区之间有快速路相连。"
        ),
        "industries": "精细化工、新材料、生物医药、装备制造",
        "operator": "杭州湾上虞经济技术开发区管理委员会",
    },
]
