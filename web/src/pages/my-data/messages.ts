import type { Messages } from "../../i18n/i18n";

export const messages: Messages = {
  en: {
    title: "My data",
    intro: "Take a copy of everything we hold about you, or have your account and its data erased.",
    "export.title": "Download my data",
    "export.text":
      "One JSON file with your profile, points and their history, purchases, referrals, offers, notifications, support conversations, special dates and security record.",
    "export.action": "Download my data",
    "export.preparing": "Preparing your data…",
    "export.done": "Your data from {{time}} was saved as {{file}}.",
    "export.tooLargeTitle": "Your data is too large to download here",
    "export.tooLarge":
      "Your account holds more than this page can send in one go. Contact support and we will get your data to you another way.",
    "delete.title": "Delete my account",
    "delete.text":
      "Your profile, points, vouchers, history and messages are erased for good, and you are signed out. This cannot be undone.",
    "delete.action": "Delete my account",
    "delete.dialogTitle": "Delete your account?",
    "delete.dialogText":
      "Everything we hold about you is erased within a minute: your points and vouchers are lost, and your referral code stops working. Download your data first if you want to keep a copy.",
    "delete.typeWord": "Type {{word}} to confirm",
    "delete.confirm": "Delete for good",
    "delete.deleting": "Deleting your account…",
    "goodbye.erasedTitle": "Your account is being deleted",
    "goodbye.erased": "We are erasing your data now; within a minute nothing of it is left. Thank you for having been with us.",
    "goodbye.alreadyErasedTitle": "This account has been deleted",
    "goodbye.alreadyErased": "The account was already deleted, and its data erased.",
    "goodbye.back": "Back to sign in",
  },
  ar: {
    title: "بياناتي",
    intro: "احصل على نسخة من كل ما نحتفظ به عنك، أو اطلب حذف حسابك وبياناته.",
    "export.title": "تنزيل بياناتي",
    "export.text":
      "ملف JSON واحد يضم ملفك الشخصي ونقاطك وسجلها ومشترياتك وإحالاتك وعروضك وإشعاراتك ومحادثات الدعم ومناسباتك الخاصة وسجل الأمان.",
    "export.action": "تنزيل بياناتي",
    "export.preparing": "جارٍ تجهيز بياناتك…",
    "export.done": "حُفظت بياناتك بتاريخ {{time}} في الملف {{file}}.",
    "export.tooLargeTitle": "بياناتك أكبر من أن تُنزَّل هنا",
    "export.tooLarge": "يحتوي حسابك على أكثر مما تستطيع هذه الصفحة إرساله دفعة واحدة. تواصل مع الدعم وسنوصل إليك بياناتك بطريقة أخرى.",
    "delete.title": "حذف حسابي",
    "delete.text": "يُحذف ملفك الشخصي ونقاطك وقسائمك وسجلك ورسائلك نهائيًا، ويُسجَّل خروجك. لا يمكن التراجع عن ذلك.",
    "delete.action": "حذف حسابي",
    "delete.dialogTitle": "هل تريد حذف حسابك؟",
    "delete.dialogText":
      "يُمحى كل ما نحتفظ به عنك خلال دقيقة: تفقد نقاطك وقسائمك، ويتوقف رمز الإحالة الخاص بك عن العمل. نزّل بياناتك أولًا إن أردت الاحتفاظ بنسخة منها.",
    "delete.typeWord": "اكتب {{word}} للتأكيد",
    "delete.confirm": "احذف نهائيًا",
    "delete.deleting": "جارٍ حذف حسابك…",
    "goodbye.erasedTitle": "يجري حذف حسابك",
    "goodbye.erased": "نمحو بياناتك الآن، وخلال دقيقة لن يبقى منها شيء. شكرًا لأنك كنت معنا.",
    "goodbye.alreadyErasedTitle": "تم حذف هذا الحساب",
    "goodbye.alreadyErased": "سبق أن حُذف هذا الحساب ومُحيت بياناته.",
    "goodbye.back": "العودة إلى تسجيل الدخول",
  },
};
