import type { Messages } from "../../i18n/i18n";

/** What each RFM segment means, to the customer in it. */
const meaningEn = {
  champions: "You shop often, recently and spend the most: you are one of our best customers.",
  loyal: "You shop with us regularly: thank you for your loyalty.",
  potential_loyalist: "You have shopped recently more than once: a few more orders make you a loyal customer.",
  new: "Welcome! You are new here: your first purchases shape your segment.",
  promising: "You shopped with us recently: we hope to see you again soon.",
  need_attention: "You used to shop more often: we have offers to bring you back.",
  at_risk: "It has been a while since your last order: we miss you.",
  cant_lose: "You were one of our best customers: we would love to have you back.",
  hibernating: "You have not shopped with us for some time.",
  lost: "It has been a long time since your last order: come back for a welcome offer.",
};
const meaningAr = {
  champions: "تتسوق كثيراً ومؤخراً وتنفق أكثر: أنت من أفضل عملائنا.",
  loyal: "تتسوق معنا بانتظام: شكراً لولائك.",
  potential_loyalist: "تسوقت مؤخراً أكثر من مرة: بضعة طلبات أخرى وتصبح من عملائنا الأوفياء.",
  new: "أهلاً بك! أنت جديد هنا: مشترياتك الأولى تحدد شريحتك.",
  promising: "تسوقت معنا مؤخراً: نتمنى أن نراك مجدداً قريباً.",
  need_attention: "كنت تتسوق أكثر من قبل: لدينا عروض لتعود إلينا.",
  at_risk: "مضى وقت منذ آخر طلب لك: اشتقنا إليك.",
  cant_lose: "كنت من أفضل عملائنا: يسعدنا أن تعود.",
  hibernating: "لم تتسوق معنا منذ فترة.",
  lost: "مضى وقت طويل منذ آخر طلب لك: عد إلينا واحصل على عرض ترحيبي.",
};

const prefixed = (meanings: Record<string, string>) =>
  Object.fromEntries(Object.entries(meanings).map(([segment, text]) => [`meaning.${segment}`, text]));

export const messages: Messages = {
  en: {
    title: "My segment",
    yourSegment: "Your segment",
    meaning: "What it means",
    meaningUnknown: "Your segment reflects how recently, how often and how much you shop.",
    scores: "Your scores (1 to 5)",
    recency: "Recency",
    frequency: "Frequency",
    monetary: "Spending",
    score: "{{score}} of 5",
    daysSince: "Days since last purchase",
    noPurchase: "No purchase yet",
    purchases12m: "Purchases (12 months)",
    spend12m: "Spend (12 months)",
    assignedAt: "Updated {{date}}",
    benefits: "Your benefits",
    noBenefits: "No benefits for this segment yet.",
    ...prefixed(meaningEn),
  },
  ar: {
    title: "شريحتي",
    yourSegment: "شريحتك",
    meaning: "ماذا تعني",
    meaningUnknown: "تعكس شريحتك مدى حداثة وتكرار وقيمة مشترياتك.",
    scores: "درجاتك (من 1 إلى 5)",
    recency: "الحداثة",
    frequency: "التكرار",
    monetary: "الإنفاق",
    score: "{{score}} من 5",
    daysSince: "أيام منذ آخر عملية شراء",
    noPurchase: "لا توجد مشتريات بعد",
    purchases12m: "المشتريات (12 شهراً)",
    spend12m: "الإنفاق (12 شهراً)",
    assignedAt: "آخر تحديث {{date}}",
    benefits: "مزاياك",
    noBenefits: "لا توجد مزايا لهذه الشريحة بعد.",
    ...prefixed(meaningAr),
  },
};
