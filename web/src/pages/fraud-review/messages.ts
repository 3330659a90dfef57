import type { Messages } from "../../i18n/i18n";

export const messages: Messages = {
  en: {
    title: "Fraud review",
    intro: "Open a customer's account to review their risk, resolve their alerts and lift a redemption hold.",
    customerId: "Customer ID",
    open: "Open",
    choose: "Enter a customer ID to review.",
    joined: "Member since {{date}}",
  },
  ar: {
    title: "مراجعة الاحتيال",
    intro: "افتح حساب عميل لمراجعة مستوى الخطر ومعالجة تنبيهاته ورفع تعليق الاستبدال.",
    customerId: "معرّف العميل",
    open: "فتح",
    choose: "أدخل معرّف عميل لمراجعته.",
    joined: "عضو منذ {{date}}",
  },
};
