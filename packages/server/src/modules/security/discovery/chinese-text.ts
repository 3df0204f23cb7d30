/**
 * Character classes for Chinese personal names and street addresses, kept in one 64 KiB lookup table so
 * that a value is classified with one array read per character.
 */

/**
 * Common single-character surnames: the most frequent family names of the mainland population (together
 * well over nine in ten people), and the rarer ones of the traditional lists that still occur.
 */
const SINGLE_SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈' +
  '姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔' +
  '向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕' +
  '单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚' +
  '娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池' +
  '查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴' +
  '盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况' +
  '那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由';

/** Compound surnames: two characters, checked before the single ones. */
const COMPOUND_SURNAMES = [
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '长孙',
  '宇文',
  '司徒',
  '司空',
  '夏侯',
  '轩辕',
  '令狐',
  '端木',
  '独孤',
  '南宫',
  '西门',
  '澹台',
  '公冶',
  '呼延',
  '申屠',
  '太史',
  '闻人',
  '赫连',
  '万俟',
  '钟离',
  '濮阳',
  '百里',
  '东郭',
  '拓跋',
  '第五',
  '左丘',
  '仲孙',
  '单于',
  '淳于',
  '微生',
  '羊舌',
];

/**
 * Last characters that end place, organisation and thing names rather than given names: a value such as
 * 王府井 or 高新区 starts with a surname but is not a person.
 */
const NOT_NAME_ENDINGS =
  '路街巷弄井区市县省州镇乡村屯局厅委办站院所校馆园场店厂部处科室号楼栋桥湖线湾寺庙塔库坊司行社队组';

/** Administrative units of an address: 省 市 区 县 旗 盟 州 镇 乡 (and 街道, seen through 街 and 道). */
const ADMIN_MARKERS = '省市区县旗盟州镇乡';
/** Street-level parts of an address: road, street, lane, number, village, building, unit, room. */
const STREET_MARKERS = '路街巷弄胡同道号村组屯栋幢楼单元室座苑里';

export const SINGLE_SURNAME = 1;
export const NOT_NAME_END = 2;
export const ADMIN_MARKER = 4;
export const STREET_MARKER = 8;

/** Flags per UTF-16 code unit. */
export const CHAR_FLAGS = new Uint8Array(0x10000);
for (const c of SINGLE_SURNAMES) CHAR_FLAGS[c.charCodeAt(0)]! |= SINGLE_SURNAME;
for (const c of NOT_NAME_ENDINGS) CHAR_FLAGS[c.charCodeAt(0)]! |= NOT_NAME_END;
for (const c of ADMIN_MARKERS) CHAR_FLAGS[c.charCodeAt(0)]! |= ADMIN_MARKER;
for (const c of STREET_MARKERS) CHAR_FLAGS[c.charCodeAt(0)]! |= STREET_MARKER;

/** Compound surnames as one number per pair of code units (first * 65536 + second). */
const COMPOUND = new Set(COMPOUND_SURNAMES.map((s) => s.charCodeAt(0) * 0x10000 + s.charCodeAt(1)));

/** CJK unified ideographs of the basic block (where the characters of names and addresses are). */
export function isHan(c: number): boolean {
  return c >= 0x4e00 && c <= 0x9fff;
}

/**
 * 2 when `s` (2 to 4 Han characters, with no ending of a place or organisation name) begins with a
 * compound surname, 1 with a single-character surname, 0 otherwise.
 */
export function chineseNameKind(s: string): 0 | 1 | 2 {
  const n = s.length;
  if (n < 2 || n > 4) return 0;
  for (let i = 0; i < n; i++) if (!isHan(s.charCodeAt(i))) return 0;
  if (CHAR_FLAGS[s.charCodeAt(n - 1)]! & NOT_NAME_END) return 0;
  if (n >= 3 && COMPOUND.has(s.charCodeAt(0) * 0x10000 + s.charCodeAt(1))) return 2;
  return CHAR_FLAGS[s.charCodeAt(0)]! & SINGLE_SURNAME ? 1 : 0;
}

/**
 * How much `s` reads as a street address: 2 when it has an administrative unit, a street-level part and a
 * number before 号 (北京市朝阳区建国路88号), 1 with an administrative unit and a street-level part or with a
 * numbered street alone (建国路88号), 0 otherwise (a bare district name is not an address).
 */
export function addressKind(s: string): 0 | 1 | 2 {
  const n = s.length;
  if (n < 6 || n > 200) return 0;
  let admin = false;
  let street = false;
  let numbered = false;
  let han = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x4e00) continue;
    han++;
    const flags = CHAR_FLAGS[c]!;
    // A marker counts only after at least one other character: 市 alone does not make 市场 an address.
    if (i === 0) continue;
    if (flags & ADMIN_MARKER) admin = true;
    if (flags & STREET_MARKER) {
      street = true;
      if (c === 0x53f7 /* 号 */) {
        const p = s.charCodeAt(i - 1);
        if (p >= 48 && p <= 57) numbered = true;
      }
    }
  }
  if (han < 4 || !street) return 0;
  if (admin) return numbered ? 2 : 1;
  // 建国路88号: a numbered street without its city is still an address.
  return numbered ? 1 : 0;
}
