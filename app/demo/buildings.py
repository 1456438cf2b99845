"""Office buildings (楼盘) of the demo.

Demo data, the project's own writing; coordinates approximate.

All building names, addresses (road numbers), figures and descriptions are
invented for the demo, so that no real building is shown with made-up rents.
Points are WGS-84 and approximate (none claims street-level precision); each
lies inside its district's county boundary, and its town is the one the point
is placed in (the nearest town centre of that district), except where the
record says "town_fixed": an agent's choice, as for 阮市 (merged into 店口镇 in
2019), whose old centre lies nearer 山下湖镇's.

Units: rent_base 元/㎡/天, property_fee 元/㎡/月, efficiency 得房率 %.
``units`` is how many 房源 the demo loader generates for the building and
``sale`` whether some of them are offered for sale (出售) as well as for lease.

Keys: slug, name, address, town, town_fixed (optional), park, lat, lon, grade, floors, year,
property_fee, efficiency, description, featured, rent_base, units, sale.
"""

BUILDINGS = [
    # ======================================================= 诸暨城区 (14)
    # ---- 暨阳街道
    {
        "slug": "jiyang-finance-center",
        "name": "暨阳金融中心",
        "address": "诸暨市暨阳街道浣纱南路188号",
        "town": "jiyang",
        "park": None,
        "lat": 29.7160,
        "lon": 120.2340,
        "grade": "甲级",
        "floors": 28,
        "year": 2016,
        "property_fee": 6.5,
        "efficiency": 72.0,
        "description": (
            "暨阳金融中心位于诸暨老城核心，周边银行网点和餐饮配套齐全，是城区较早的一栋甲级写字楼。"
            "距诸暨站直线约3公里，开车十来分钟，上杭金衢高速也很顺。"
        ),
        "featured": True,
        "rent_base": 1.9,
        "units": 6,
        "sale": True,
    },
    {
        "slug": "huansha-business-building",
        "name": "浣纱商务大厦",
        "address": "诸暨市暨阳街道浣纱北路56号",
        "town": "jiyang",
        "park": None,
        "lat": 29.7110,
        "lon": 120.2380,
        "grade": "乙级",
        "floors": 16,
        "year": 2008,
        "property_fee": 3.5,
        "efficiency": 75.0,
        "description": (
            "楼龄稍长但维护得当，标准层面积适中，适合二三十人的贸易和咨询公司。"
            "大楼在暨阳街道商业街旁，公交线路多，到诸暨站约2公里。"
        ),
        "featured": False,
        "rent_base": 1.2,
        "units": 4,
        "sale": False,
    },
    {
        "slug": "jiyang-times-plaza",
        "name": "暨阳时代广场",
        "address": "诸暨市暨阳街道暨阳路399号",
        "town": "jiyang",
        "park": None,
        "lat": 29.7185,
        "lon": 120.2285,
        "grade": "甲级",
        "floors": 24,
        "year": 2019,
        "property_fee": 5.8,
        "efficiency": 70.0,
        "description": (
            "暨阳时代广场是底层商业加上部写字楼的综合体，大堂挑高，配有地下停车场。"
            "从这里开车到诸暨站约十五分钟，经绍诸高速去绍兴市区也方便。"
        ),
        "featured": False,
        "rent_base": 1.8,
        "units": 5,
        "sale": True,
    },
    {
        "slug": "creative-park-design-works",
        "name": "2025创意园设计工坊",
        "address": "诸暨市暨阳街道东二路25号",
        "town": "jiyang",
        "park": "zhuji-2025-creative-park",
        "lat": 29.7190,
        "lon": 120.2410,
        "grade": "丙级",
        "floors": 5,
        "year": 2002,
        "property_fee": 2.5,
        "efficiency": 82.0,
        "description": (
            "由老厂房改建的低层办公楼，层高大、采光好，很受设计和拍摄团队欢迎。"
            "位于2025创意产业园内，距诸暨站约2公里，园区门口就有公交站。"
        ),
        "featured": False,
        "rent_base": 0.95,
        "units": 4,
        "sale": False,
    },
    {
        "slug": "huanjiang-business-center",
        "name": "浣江商务中心",
        "address": "诸暨市暨阳街道苎萝东路12号",
        "town": "jiyang",
        "park": None,
        "lat": 29.7095,
        "lon": 120.2360,
        "grade": "乙级",
        "floors": 18,
        "year": 2012,
        "property_fee": 3.8,
        "efficiency": 74.0,
        "description": (
            "大楼临近西施故里景区，高层可以望见浦阳江，环境在城区里算是安静的。"
            "距诸暨站约2公里，周边停车位较充足。"
        ),
        "featured": False,
        "rent_base": 1.3,
        "units": 3,
        "sale": True,
    },
    # ---- 陶朱街道
    {
        "slug": "taozhu-tech-tower",
        "name": "陶朱科创大厦",
        "address": "诸暨市陶朱街道科创大道66号",
        "town": "taozhu",
        "park": "zhuji-ittc",
        "lat": 29.7430,
        "lon": 120.2500,
        "grade": "甲级",
        "floors": 22,
        "year": 2020,
        "property_fee": 6.0,
        "efficiency": 71.0,
        "description": (
            "陶朱科创大厦紧挨国际技术转移中心，楼内聚集了检测、知识产权和技术服务机构。"
            "距诸暨站约4公里，驶上杭金衢高速只要几分钟。"
        ),
        "featured": True,
        "rent_base": 1.7,
        "units": 5,
        "sale": False,
    },
    {
        "slug": "harbour-maker-building",
        "name": "港湾创客楼",
        "address": "诸暨市陶朱街道望云北路218号",
        "town": "taozhu",
        "park": "hangzhou-port",
        "lat": 29.7490,
        "lon": 120.2600,
        "grade": "乙级",
        "floors": 8,
        "year": 2021,
        "property_fee": 3.0,
        "efficiency": 80.0,
        "description": (
            "这栋楼属于杭州港二期孵化区，虽然园区名字带着杭州，楼却实实在在在诸暨陶朱街道。"
            "小面积工位和独立办公室都有，初创团队可以按月租用；距诸暨站约5公里。"
        ),
        "featured": False,
        "rent_base": 0.9,
        "units": 6,
        "sale": False,
    },
    {
        "slug": "north-city-hq-building",
        "name": "北城总部大厦",
        "address": "诸暨市陶朱街道艮塔西路300号",
        "town": "taozhu",
        "park": None,
        "lat": 29.7450,
        "lon": 120.2370,
        "grade": "乙级",
        "floors": 15,
        "year": 2014,
        "property_fee": 3.2,
        "efficiency": 76.0,
        "description": (
            "北城总部大厦以整层出租为主，适合需要独立楼层的制造企业销售总部。"
            "位于陶朱街道，距诸暨站约5公里，离高速出入口较近。"
        ),
        "featured": False,
        "rent_base": 1.1,
        "units": 4,
        "sale": True,
    },
    {
        "slug": "etdz-enterprise-service-tower",
        "name": "开发区企业服务大厦",
        "address": "诸暨市陶朱街道兴业路88号",
        "town": "taozhu",
        "park": "zhuji-etdz",
        "lat": 29.7560,
        "lon": 120.2600,
        "grade": "甲级",
        "floors": 20,
        "year": 2022,
        "property_fee": 5.5,
        "efficiency": 73.0,
        "description": (
            "大厦位于诸暨经济开发区北片，楼内设有企业服务窗口，办事和办公可以在同一栋楼里完成。"
            "距诸暨站约6公里，上杭金衢高速不到五分钟。"
        ),
        "featured": False,
        "rent_base": 1.6,
        "units": 5,
        "sale": False,
    },
    # ---- 浣东街道
    {
        "slug": "hsr-new-town-business-center",
        "name": "高铁新城商务中心",
        "address": "诸暨市浣东街道站前大道1号",
        "town": "huandong",
        "park": None,
        "lat": 29.7090,
        "lon": 120.2600,
        "grade": "甲级",
        "floors": 26,
        "year": 2021,
        "property_fee": 6.8,
        "efficiency": 70.0,
        "description": (
            "高铁新城商务中心与诸暨站只隔一个广场，步行五分钟即可进站，是常跑杭州、上海的企业的首选。"
            "大楼为浣东街道的新地标，配有会议中心和商务酒店。"
        ),
        "featured": True,
        "rent_base": 2.0,
        "units": 6,
        "sale": True,
    },
    {
        "slug": "huandong-digital-tower",
        "name": "浣东数字大厦",
        "address": "诸暨市浣东街道东旺路158号",
        "town": "huandong",
        "park": "huandong-digital-park",
        "lat": 29.7250,
        "lon": 120.2700,
        "grade": "乙级",
        "floors": 12,
        "year": 2018,
        "property_fee": 3.6,
        "efficiency": 77.0,
        "description": (
            "浣东数字大厦是浣东数字经济产业园的主楼，网络和机房条件较好，适合软件和数据服务团队。"
            "距诸暨站约3公里，楼下有公交首末站。"
        ),
        "featured": False,
        "rent_base": 1.15,
        "units": 4,
        "sale": False,
    },
    {
        "slug": "puyang-riverside-office",
        "name": "浦阳江畔商务楼",
        "address": "诸暨市浣东街道江东路77号",
        "town": "huandong",
        "park": None,
        "lat": 29.7180,
        "lon": 120.2650,
        "grade": "丙级",
        "floors": 7,
        "year": 2005,
        "property_fee": 2.2,
        "efficiency": 81.0,
        "description": (
            "一栋多层老办公楼，租金低、得房率高，适合预算有限的小公司和工作室。"
            "位于浣东街道江边，到诸暨站约2公里。"
        ),
        "featured": False,
        "rent_base": 0.85,
        "units": 3,
        "sale": True,
    },
    # ---- 暨南街道
    {
        "slug": "jinan-trade-building",
        "name": "暨南商贸大厦",
        "address": "诸暨市暨南街道城西大道520号",
        "town": "jinan",
        "park": None,
        "lat": 29.6870,
        "lon": 120.2270,
        "grade": "乙级",
        "floors": 14,
        "year": 2011,
        "property_fee": 3.0,
        "efficiency": 76.0,
        "description": (
            "暨南商贸大厦靠近城区南部的批发市场，楼里多是商贸和物流公司。"
            "距诸暨站约4公里，往南走诸永高速去金华、台州方向都很顺。"
        ),
        "featured": False,
        "rent_base": 1.05,
        "units": 4,
        "sale": True,
    },
    {
        "slug": "jinan-smart-valley",
        "name": "暨南智谷",
        "address": "诸暨市暨南街道创业路36号",
        "town": "jinan",
        "park": None,
        "lat": 29.6820,
        "lon": 120.2200,
        "grade": "乙级",
        "floors": 9,
        "year": 2017,
        "property_fee": 2.8,
        "efficiency": 79.0,
        "description": (
            "暨南智谷由几栋九层研发楼组成，楼间距宽，停车方便，适合研发和小规模中试。"
            "位于暨南街道，距诸暨站约4公里。"
        ),
        "featured": False,
        "rent_base": 0.95,
        "units": 3,
        "sale": False,
    },
    # ============================================================ 次坞 (5)
    {
        "slug": "ciwu-linhang-tech-tower",
        "name": "次坞临杭科创大厦",
        "address": "诸暨市次坞镇临杭大道188号",
        "town": "ciwu",
        "park": "ciwu-linhang-park",
        "lat": 29.8840,
        "lon": 120.1720,
        "grade": "甲级",
        "floors": 18,
        "year": 2022,
        "property_fee": 5.0,
        "efficiency": 72.0,
        "description": (
            "次坞临杭科创大厦是临杭产业园的配套办公主楼，园区企业的研发和销售部门多集中在这里。"
            "紧邻杭州二绕，开车到萧山城区约半小时，到诸暨站约三十五分钟。"
        ),
        "featured": True,
        "rent_base": 1.3,
        "units": 5,
        "sale": False,
    },
    {
        "slug": "linhang-manufacturing-service-center",
        "name": "临杭智造服务中心",
        "address": "诸暨市次坞镇园区路66号",
        "town": "ciwu",
        "park": "ciwu-linhang-park",
        "lat": 29.8780,
        "lon": 120.1650,
        "grade": "乙级",
        "floors": 10,
        "year": 2020,
        "property_fee": 3.0,
        "efficiency": 78.0,
        "description": (
            "中心一至三层是展厅和共享会议室，上面是可分割的办公层，适合刚落户次坞的制造企业过渡使用。"
            "离杭州二绕出入口约五分钟车程。"
        ),
        "featured": False,
        "rent_base": 0.95,
        "units": 4,
        "sale": False,
    },
    {
        "slug": "linhang-rd-building",
        "name": "临杭研发楼",
        "address": "诸暨市次坞镇科技路18号",
        "town": "ciwu",
        "park": "ciwu-linhang-park",
        "lat": 29.8920,
        "lon": 120.1780,
        "grade": "乙级",
        "floors": 8,
        "year": 2023,
        "property_fee": 2.8,
        "efficiency": 80.0,
        "description": (
            "这栋新建研发楼位于次坞镇临杭产业园东侧，楼板承重较高，可放置小型试验设备。"
            "北去萧山、南下诸暨城区都走杭州二绕和杭金衢高速。"
        ),
        "featured": False,
        "rent_base": 0.9,
        "units": 4,
        "sale": True,
    },
    {
        "slug": "ciwu-old-street-office",
        "name": "次坞老街商务楼",
        "address": "诸暨市次坞镇老街路9号",
        "town": "ciwu",
        "park": None,
        "lat": 29.8720,
        "lon": 120.1500,
        "grade": "丙级",
        "floors": 6,
        "year": 2006,
        "property_fee": 2.0,
        "efficiency": 82.0,
        "description": (
            "位于次坞镇老镇区的一栋多层办公楼，楼下就是打面馆和小商铺，生活很方便。"
            "租金是全市最低的一档，开车到诸暨站约四十分钟。"
        ),
        "featured": False,
        "rent_base": 0.8,
        "units": 3,
        "sale": True,
    },
    {
        "slug": "ciwu-ecommerce-building",
        "name": "次坞电商产业楼",
        "address": "诸暨市次坞镇临杭大道520号",
        "town": "ciwu",
        "park": "ciwu-linhang-park",
        "lat": 29.8880,
        "lon": 120.1850,
        "grade": "丙级",
        "floors": 6,
        "year": 2015,
        "property_fee": 2.2,
        "efficiency": 80.0,
        "description": (
            "楼里以电商运营和仓配办公为主，一楼可做小型样品间。"
            "位于临杭产业园东缘，上杭州二绕只需几分钟。"
        ),
        "featured": False,
        "rent_base": 0.8,
        "units": 3,
        "sale": False,
    },
    # ============================================================ 店口 (4)
    {
        "slug": "diankou-hardware-trade-building",
        "name": "店口五金商贸大厦",
        "address": "诸暨市店口镇五金城路99号",
        "town": "diankou",
        "park": "diankou-hardware-park",
        "lat": 29.9360,
        "lon": 120.3430,
        "grade": "乙级",
        "floors": 15,
        "year": 2013,
        "property_fee": 3.2,
        "efficiency": 75.0,
        "description": (
            "店口五金商贸大厦在五金产业园中心，楼下是产品展示厅，楼上是贸易公司和采购办事处。"
            "距萧山城区约四十分钟车程，到诸暨站约半小时。"
        ),
        "featured": False,
        "rent_base": 1.0,
        "units": 4,
        "sale": True,
    },
    {
        "slug": "diankou-copper-hq",
        "name": "店口铜都总部大楼",
        "address": "诸暨市店口镇中央路288号",
        "town": "diankou",
        "park": None,
        "lat": 29.9450,
        "lon": 120.3560,
        "grade": "甲级",
        "floors": 21,
        "year": 2019,
        "property_fee": 5.0,
        "efficiency": 72.0,
        "description": (
            "店口镇区最高的写字楼，不少铜材和汽配企业把营销总部放在这里。"
            "开车到杭州南站约四十分钟，到诸暨站约半小时。"
        ),
        "featured": True,
        "rent_base": 1.4,
        "units": 5,
        "sale": True,
    },
    {
        "slug": "ruanshi-business-building",
        "name": "阮市商务楼",
        "address": "诸暨市店口镇阮市大道168号",
        "town": "diankou",
        "park": None,
        "lat": 29.8780,
        "lon": 120.3720,
        "town_fixed": True,
        "grade": "丙级",
        "floors": 6,
        "year": 2008,
        "property_fee": 2.0,
        "efficiency": 82.0,
        "description": (
            "大楼位于原阮市镇的镇区，现属店口镇，周边多是家庭作坊式的五金加工厂。"
            "适合需要就近管理工厂的小企业，距诸暨站约半小时车程。"
        ),
        "featured": False,
        "rent_base": 0.8,
        "units": 3,
        "sale": False,
    },
    {
        "slug": "diankou-lakeside-rd-center",
        "name": "店口湖畔研发中心",
        "address": "诸暨市店口镇湖东路20号",
        "town": "diankou",
        "park": "diankou-hardware-park",
        "lat": 29.9320,
        "lon": 120.3520,
        "grade": "乙级",
        "floors": 9,
        "year": 2021,
        "property_fee": 3.0,
        "efficiency": 79.0,
        "description": (
            "店口湖畔研发中心面向产业园企业的技术部门，每层都预留了实验和检测用房。"
            "离杭金衢高速出入口约十分钟。"
        ),
        "featured": False,
        "rent_base": 0.95,
        "units": 4,
        "sale": False,
    },
    # ============================================================ 姚江 (3)
    {
        "slug": "yaojiang-eco-tech-building",
        "name": "姚江环保科创楼",
        "address": "诸暨市姚江镇环保路36号",
        "town": "yaojiang",
        "park": "cecep-zhuji-eco-park",
        "lat": 29.8260,
        "lon": 120.2590,
        "grade": "乙级",
        "floors": 10,
        "year": 2020,
        "property_fee": 3.0,
        "efficiency": 78.0,
        "description": (
            "位于中节能(诸暨)环保产业园内，靠近原直埠镇区，楼内多为环保设备和环境工程企业的研发部门。"
            "到诸暨站约二十五分钟车程，北上萧山也只要半小时左右。"
        ),
        "featured": False,
        "rent_base": 0.95,
        "units": 4,
        "sale": False,
    },
    {
        "slug": "zhibu-business-center",
        "name": "直埠商务中心",
        "address": "诸暨市姚江镇直埠大道128号",
        "town": "yaojiang",
        "park": None,
        "lat": 29.8180,
        "lon": 120.2450,
        "grade": "丙级",
        "floors": 7,
        "year": 2009,
        "property_fee": 2.0,
        "efficiency": 81.0,
        "description": (
            "直埠商务中心在姚江镇的老直埠镇区，周边以纺织和五金小厂为主。"
            "楼层不高但租金实惠，开车到诸暨站约二十五分钟。"
        ),
        "featured": False,
        "rent_base": 0.8,
        "units": 3,
        "sale": True,
    },
    {
        "slug": "jiangzao-manufacturing-building",
        "name": "江藻智造大楼",
        "address": "诸暨市姚江镇江藻路58号",
        "town": "yaojiang",
        "park": None,
        "lat": 29.8320,
        "lon": 120.2800,
        "grade": "乙级",
        "floors": 8,
        "year": 2016,
        "property_fee": 2.5,
        "efficiency": 79.0,
        "description": (
            "大楼位于姚江镇东南部的原江藻片区，靠近诸暨经济开发区北缘，适合配套制造企业的办公需求。"
            "到诸暨站约二十分钟车程。"
        ),
        "featured": False,
        "rent_base": 0.85,
        "units": 3,
        "sale": False,
    },
    # ========================================================== 应店街 (2)
    {
        "slug": "yingdianjie-smart-service-building",
        "name": "应店街智造服务楼",
        "address": "诸暨市应店街镇工业大道108号",
        "town": "yingdianjie",
        "park": "yingdianjie-smart-park",
        "lat": 29.8230,
        "lon": 120.1240,
        "grade": "乙级",
        "floors": 9,
        "year": 2019,
        "property_fee": 2.6,
        "efficiency": 79.0,
        "description": (
            "应店街智造服务楼服务于应店街智造产业园，底层有员工食堂和快递收发点。"
            "到诸暨站约二十五分钟车程，往北可接杭州二绕。"
        ),
        "featured": False,
        "rent_base": 0.85,
        "units": 3,
        "sale": False,
    },
    {
        "slug": "yingdianjie-town-business-center",
        "name": "应店街镇商务中心",
        "address": "诸暨市应店街镇新街路16号",
        "town": "yingdianjie",
        "park": None,
        "lat": 29.8150,
        "lon": 120.1120,
        "grade": "丙级",
        "floors": 6,
        "year": 2010,
        "property_fee": 2.0,
        "efficiency": 82.0,
        "description": (
            "应店街镇区的一栋小型办公楼，房东以个人业主为主，租期和装修都比较好谈。"
            "距诸暨站约二十五分钟车程。"
        ),
        "featured": False,
        "rent_base": 0.8,
        "units": 3,
        "sale": True,
    },
    # ============================================================ 大唐 (2)
    {
        "slug": "sock-town-design-center",
        "name": "袜艺小镇设计中心",
        "address": "诸暨市大唐街道袜艺大道1号",
        "town": "datang",
        "park": "datang-sock-town",
        "lat": 29.6830,
        "lon": 120.1580,
        "grade": "乙级",
        "floors": 12,
        "year": 2018,
        "property_fee": 3.0,
        "efficiency": 77.0,
        "description": (
            "设计中心位于大唐袜业特色小镇中心，楼内有面料库、打样间和直播间，适合袜业品牌和设计工作室。"
            "到诸暨站约二十分钟车程，离杭金衢高速出入口不远。"
        ),
        "featured": False,
        "rent_base": 1.0,
        "units": 5,
        "sale": False,
    },
    {
        "slug": "datang-hosiery-ecommerce-tower",
        "name": "大唐袜业电商大厦",
        "address": "诸暨市大唐街道轻纺路200号",
        "town": "datang",
        "park": None,
        "lat": 29.6760,
        "lon": 120.1360,
        "grade": "乙级",
        "floors": 14,
        "year": 2015,
        "property_fee": 2.8,
        "efficiency": 76.0,
        "description": (
            "大厦以袜业电商企业为主，楼下有物流揽收点，发货方便。"
            "位于大唐街道西部，到诸暨站约二十分钟车程。"
        ),
        "featured": False,
        "rent_base": 0.9,
        "units": 4,
        "sale": True,
    },
    # ========================================================== 山下湖 (1)
    {
        "slug": "pearl-town-business-center",
        "name": "珍珠小镇商务中心",
        "address": "诸暨市山下湖镇珍珠大道66号",
        "town": "shanxiahu",
        "park": "shanxiahu-pearl-town",
        "lat": 29.8545,
        "lon": 120.3440,
        "grade": "乙级",
        "floors": 8,
        "year": 2017,
        "property_fee": 2.5,
        "efficiency": 79.0,
        "description": (
            "商务中心位于山下湖镇珍珠交易区旁，不少珠宝品牌和直播机构在这里租用办公室。"
            "开车到诸暨站约二十五分钟，到白塔湖湿地约十分钟。"
        ),
        "featured": False,
        "rent_base": 0.85,
        "units": 3,
        "sale": False,
    },
    # ============================================================ 柯桥 (6)
    {
        "slug": "fangdu-business-tower",
        "name": "纺都商务大厦",
        "address": "绍兴市柯桥区柯桥街道金柯桥大道1288号",
        "town": "keqiao-jiedao",
        "park": None,
        "lat": 30.0880,
        "lon": 120.4920,
        "grade": "甲级",
        "floors": 30,
        "year": 2015,
        "property_fee": 7.0,
        "efficiency": 70.0,
        "description": (
            "纺都商务大厦与中国轻纺城市场群隔街相望，面料外贸公司和采购代表处集中。"
            "步行到绍兴地铁1号线站点约八分钟，换乘即可前往杭州。"
        ),
        "featured": True,
        "rent_base": 2.2,
        "units": 6,
        "sale": True,
    },
    {
        "slug": "keqiao-fabric-design-center",
        "name": "柯桥面料设计中心",
        "address": "绍兴市柯桥区柯桥街道蓝印路58号",
        "town": "keqiao-jiedao",
        "park": "keqiao-lanyin-town",
        "lat": 30.0810,
        "lon": 120.4830,
        "grade": "乙级",
        "floors": 12,
        "year": 2019,
        "property_fee": 4.0,
        "efficiency": 76.0,
        "description": (
            "位于蓝印时尚小镇内，楼里多是面料设计和打样工作室，离中国轻纺城约十分钟车程。"
            "附近有绍兴地铁1号线站点，往返杭州不必开车。"
        ),
        "featured": False,
        "rent_base": 1.6,
        "units": 4,
        "sale": False,
    },
    {
        "slug": "kebei-innovation-center",
        "name": "柯北科创中心",
        "address": "绍兴市柯桥区柯桥街道兴越路888号",
        "town": "keqiao-jiedao",
        "park": "keqiao-etdz",
        "lat": 30.0880,
        "lon": 120.4780,
        "grade": "甲级",
        "floors": 22,
        "year": 2021,
        "property_fee": 5.5,
        "efficiency": 72.0,
        "description": (
            "柯北科创中心在柯桥经济技术开发区内，主要服务新材料和装备企业的研发团队。"
            "开车到绍兴北站约十五分钟，到轻纺城市场约十分钟。"
        ),
        "featured": False,
        "rent_base": 1.8,
        "units": 5,
        "sale": False,
    },
    {
        "slug": "qianqing-trade-building",
        "name": "钱清商贸大厦",
        "address": "绍兴市柯桥区钱清街道钱清大道168号",
        "town": "qianqing",
        "park": None,
        "lat": 30.1010,
        "lon": 120.3930,
        "grade": "乙级",
        "floors": 12,
        "year": 2012,
        "property_fee": 3.0,
        "efficiency": 76.0,
        "description": (
            "钱清商贸大厦靠近当地的化纤原料市场，租户以原料贸易公司为主。"
            "钱清街道西邻萧山，走高速去杭州南站约半小时。"
        ),
        "featured": False,
        "rent_base": 1.2,
        "units": 3,
        "sale": True,
    },
    {
        "slug": "huashe-textile-office",
        "name": "华舍纺织商务楼",
        "address": "绍兴市柯桥区华舍街道华齐路99号",
        "town": "huashe",
        "park": None,
        "lat": 30.1100,
        "lon": 120.4860,
        "grade": "乙级",
        "floors": 10,
        "year": 2014,
        "property_fee": 3.0,
        "efficiency": 77.0,
        "description": (
            "华舍街道织造企业密集，这栋楼为它们提供接单、设计和财务办公的空间。"
            "开车到中国轻纺城约十五分钟，周边有公交接驳地铁站。"
        ),
        "featured": False,
        "rent_base": 1.3,
        "units": 4,
        "sale": False,
    },
    {
        "slug": "qixian-industry-service-tower",
        "name": "齐贤产业服务大厦",
        "address": "绍兴市柯桥区齐贤街道齐贤大道300号",
        "town": "qixian",
        "park": None,
        "lat": 30.1190,
        "lon": 120.5180,
        "grade": "乙级",
        "floors": 11,
        "year": 2016,
        "property_fee": 3.2,
        "efficiency": 77.0,
        "description": (
            "大厦位于齐贤街道，周边是印染和纺织机械企业，楼内有几家检测认证机构。"
            "到绍兴北站约十五分钟车程，去萧山机场也不算远。"
        ),
        "featured": False,
        "rent_base": 1.25,
        "units": 3,
        "sale": True,
    },
    # ============================================================ 越城 (4)
    {
        "slug": "fushan-finance-center",
        "name": "府山金融中心",
        "address": "绍兴市越城区府山街道胜利西路100号",
        "town": "fushan",
        "park": None,
        "lat": 29.9990,
        "lon": 120.5630,
        "grade": "甲级",
        "floors": 32,
        "year": 2017,
        "property_fee": 7.5,
        "efficiency": 69.0,
        "description": (
            "府山金融中心地处绍兴古城边缘，金融机构和律师事务所集中，是越城区租金较高的甲级楼。"
            "步行到绍兴地铁1号线站点约五分钟，到绍兴站约十分钟车程。"
        ),
        "featured": True,
        "rent_base": 2.6,
        "units": 6,
        "sale": True,
    },
    {
        "slug": "hitech-innovation-tower",
        "name": "高新区创新大厦",
        "address": "绍兴市越城区高新区科创路66号",
        "town": "donghu",
        "park": "shaoxing-hitech",
        "lat": 30.0210,
        "lon": 120.5980,
        "grade": "甲级",
        "floors": 20,
        "year": 2020,
        "property_fee": 5.0,
        "efficiency": 73.0,
        "description": (
            "大厦位于绍兴高新区核心地块，集成电路设计和生物医药研发企业较多。"
            "离绍兴站约十分钟车程，周边有地铁站和多条公交线路。"
        ),
        "featured": False,
        "rent_base": 1.9,
        "units": 5,
        "sale": False,
    },
    {
        "slug": "beihai-business-building",
        "name": "北海商务楼",
        "address": "绍兴市越城区北海街道环城北路266号",
        "town": "beihai",
        "park": None,
        "lat": 30.0060,
        "lon": 120.5600,
        "grade": "乙级",
        "floors": 13,
        "year": 2010,
        "property_fee": 3.5,
        "efficiency": 75.0,
        "description": (
            "北海商务楼在越城区北海街道，临近环城河，楼内以中小型服务企业为主。"
            "到绍兴站约十分钟车程，附近有地铁站出入口。"
        ),
        "featured": False,
        "rent_base": 1.5,
        "units": 4,
        "sale": True,
    },
    {
        "slug": "chengnan-startup-tower",
        "name": "城南创业大厦",
        "address": "绍兴市越城区城南街道中兴南路188号",
        "town": "chengnan",
        "park": None,
        "lat": 29.9730,
        "lon": 120.5720,
        "grade": "乙级",
        "floors": 10,
        "year": 2013,
        "property_fee": 3.0,
        "efficiency": 77.0,
        "description": (
            "越城区城南街道的一栋创业楼，租金比古城区低一截，适合初创团队。"
            "开车上绍诸高速方便，往返诸暨约一小时。"
        ),
        "featured": False,
        "rent_base": 1.3,
        "units": 3,
        "sale": False,
    },
    # ============================================================ 上虞 (3)
    {
        "slug": "baiguan-finance-plaza",
        "name": "百官金融广场",
        "address": "绍兴市上虞区百官街道市民大道500号",
        "town": "baiguan",
        "park": None,
        "lat": 30.0310,
        "lon": 120.8760,
        "grade": "甲级",
        "floors": 24,
        "year": 2018,
        "property_fee": 5.5,
        "efficiency": 72.0,
        "description": (
            "百官金融广场位于上虞城区中心，银行和证券营业部集中，是上虞最主要的商务楼之一。"
            "开车到上虞的高铁站约十分钟，去杭州湾上虞经济技术开发区约二十分钟。"
        ),
        "featured": False,
        "rent_base": 1.6,
        "units": 5,
        "sale": True,
    },
    {
        "slug": "cao-e-riverside-business-center",
        "name": "曹娥江畔商务中心",
        "address": "绍兴市上虞区曹娥街道江西路88号",
        "town": "cao-e",
        "park": None,
        "lat": 30.0060,
        "lon": 120.8520,
        "grade": "乙级",
        "floors": 12,
        "year": 2012,
        "property_fee": 3.0,
        "efficiency": 76.0,
        "description": (
            "商务中心位于曹娥街道，紧靠曹娥江，江景楼层很受欢迎。"
            "到百官城区约五分钟车程，上高速去绍兴市区约半小时。"
        ),
        "featured": False,
        "rent_base": 1.1,
        "units": 4,
        "sale": False,
    },
    {
        "slug": "shangyu-etdz-tech-tower",
        "name": "上虞经开区科创大厦",
        "address": "绍兴市上虞区杭州湾上虞经济技术开发区纬三路66号",
        "town": "songxia",
        "park": "shangyu-etdz",
        "lat": 30.1230,
        "lon": 120.8580,
        "grade": "乙级",
        "floors": 15,
        "year": 2020,
        "property_fee": 3.5,
        "efficiency": 76.0,
        "description": (
            "科创大厦是上虞经开区的公共研发楼，主要租给化工新材料和医药企业的研发中心。"
            "到百官城区约二十分钟车程，园区有通勤班车。"
        ),
        "featured": False,
        "rent_base": 1.1,
        "units": 4,
        "sale": False,
    },
    # ============================================================ 滨江 (4)
    {
        "slug": "jiangling-digital-tower",
        "name": "江陵数智大厦",
        "address": "杭州市滨江区西兴街道江陵路1888号",
        "town": "xixing",
        "park": None,
        "lat": 30.2160,
        "lon": 120.2120,
        "grade": "甲级",
        "floors": 28,
        "year": 2019,
        "property_fee": 9.5,
        "efficiency": 68.0,
        "description": (
            "江陵数智大厦离江陵路地铁站步行约五分钟，楼内以互联网和软件企业为主。"
            "位于杭州滨江区西兴街道，过江到杭州主城区十分便捷。"
        ),
        "featured": True,
        "rent_base": 3.4,
        "units": 6,
        "sale": False,
    },
    {
        "slug": "changhe-innovation-center",
        "name": "长河创新中心",
        "address": "杭州市滨江区长河街道长河路666号",
        "town": "changhe",
        "park": None,
        "lat": 30.1750,
        "lon": 120.1900,
        "grade": "甲级",
        "floors": 22,
        "year": 2020,
        "property_fee": 8.0,
        "efficiency": 70.0,
        "description": (
            "长河创新中心是滨江南部的一栋研发型甲级楼，层高适合放置服务器机柜。"
            "附近有地铁站，开车到杭州南站约二十分钟。"
        ),
        "featured": False,
        "rent_base": 3.0,
        "units": 5,
        "sale": False,
    },
    {
        "slug": "puyan-rd-building",
        "name": "浦沿研发大楼",
        "address": "杭州市滨江区浦沿街道东信大道300号",
        "town": "puyan",
        "park": None,
        "lat": 30.1600,
        "lon": 120.1500,
        "grade": "乙级",
        "floors": 15,
        "year": 2014,
        "property_fee": 6.0,
        "efficiency": 73.0,
        "description": (
            "浦沿研发大楼在滨江区西南角，租金在区内属于较低水平，适合成长期的软件团队。"
            "步行到地铁站约十分钟，楼下有共享单车停放点。"
        ),
        "featured": False,
        "rent_base": 2.6,
        "units": 4,
        "sale": True,
    },
    {
        "slug": "bay-enclave-tower",
        "name": "湾区飞地大厦",
        "address": "杭州市滨江区西兴街道网商路199号",
        "town": "xixing",
        "park": None,
        "lat": 30.2240,
        "lon": 120.1990,
        "grade": "乙级",
        "floors": 18,
        "year": 2016,
        "property_fee": 7.0,
        "efficiency": 72.0,
        "description": (
            "这栋楼与诸暨经济开发区设在滨江的诸暨岛同处一区，适合与诸暨有业务往来的企业设立杭州研发窗口。"
            "距江陵路地铁站约二十分钟步行，开车回诸暨约一小时。"
        ),
        "featured": False,
        "rent_base": 2.8,
        "units": 5,
        "sale": False,
    },
    # ======================================================= 嵊州市、新昌县 (4)
    # Towns of the region's south, in the gazetteer since the whole of 绍兴 is.
    {
        "slug": "shanxi-business-center",
        "name": "剡溪商务中心",
        "address": "嵊州市剡湖街道官河南路128号",
        "town": "shanhu",
        "park": None,
        "lat": 29.5970,
        "lon": 120.8190,
        "grade": "乙级",
        "floors": 20,
        "year": 2015,
        "property_fee": 4.5,
        "efficiency": 73.0,
        "description": (
            "剡溪商务中心在嵊州老城的中心地段，步行可到市政府和剡溪两岸的商业街。"
            "楼内多是贸易公司、律所和领带企业的销售办公室，面积从几十平方米的小间到整层都有。"
        ),
        "featured": True,
        "rent_base": 1.0,
        "units": 4,
        "sale": False,
    },
    {
        "slug": "sanjiang-tie-trade-building",
        "name": "三江领带商贸楼",
        "address": "嵊州市三江街道城北大道66号",
        "town": "sanjiang",
        "park": None,
        "lat": 29.6130,
        "lon": 120.7980,
        "grade": "乙级",
        "floors": 12,
        "year": 2012,
        "property_fee": 3.5,
        "efficiency": 75.0,
        "description": (
            "三江领带商贸楼位于嵊州城北，周边是领带织造和服饰企业集中的片区。"
            "楼里适合设立样品间、电商运营和外贸跟单团队，楼下有货车装卸区。"
        ),
        "featured": False,
        "rent_base": 0.8,
        "units": 3,
        "sale": True,
    },
    {
        "slug": "nanming-finance-building",
        "name": "南明金融大厦",
        "address": "新昌县南明街道人民中路200号",
        "town": "nanming",
        "park": None,
        "lat": 29.5010,
        "lon": 120.9070,
        "grade": "甲级",
        "floors": 24,
        "year": 2018,
        "property_fee": 5.0,
        "efficiency": 72.0,
        "description": (
            "南明金融大厦在新昌县城的中心街区，周边银行网点和餐饮配套齐全。"
            "高区楼层可以看到城东的山景，适合做区域总部和专业服务机构的办公室。"
        ),
        "featured": True,
        "rent_base": 1.1,
        "units": 4,
        "sale": False,
    },
    {
        "slug": "qixing-innovation-building",
        "name": "七星科创楼",
        "address": "新昌县七星街道新昌大道东路88号",
        "town": "qixing",
        "park": None,
        "lat": 29.4940,
        "lon": 120.9320,
        "grade": "乙级",
        "floors": 15,
        "year": 2020,
        "property_fee": 4.0,
        "efficiency": 76.0,
        "description": (
            "七星科创楼位于新昌县城东部，周边聚集了轴承、医药和装备制造企业。"
            "楼内多为研发和测试用房，层高较高，部分楼层可以承重放置小型设备。"
        ),
        "featured": False,
        "rent_base": 0.9,
        "units": 3,
        "sale": False,
    },
]
