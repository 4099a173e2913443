/**
 * The shopper help page (linked from the checkout as "Help with paying"), in every checkout locale.
 * Plain text only: the server escapes it when rendering, so no markup belongs here. Each answer is a list
 * of paragraphs. Every locale has the same sections in the same order, so `#declined` and the other ids
 * work as links whatever the language.
 */
import type { CheckoutLocale } from "../view-types.ts";

export const HELP_SECTION_IDS = ["declined", "charged-twice", "refund-time", "phishing", "security"] as const;
export type HelpSectionId = (typeof HELP_SECTION_IDS)[number];

export interface HelpSection {
  id: HelpSectionId;
  question: string;
  answer: string[];
}

export interface HelpPage {
  title: string;
  intro: string;
  sections: HelpSection[];
}

export const HELP: Record<CheckoutLocale, HelpPage> = {
  en: {
    title: "Help with paying",
    intro:
      "Answers to common questions about paying on this page. For anything about the order itself, such as delivery or returns, contact the shop.",
    sections: [
      {
        id: "declined",
        question: "Why was my payment declined?",
        answer: [
          "Your bank or payment provider decides whether to approve each payment. The most common reasons for a decline are: not enough funds or credit available, an expired card, a wrong security code, the bank's fraud protection stopping a payment it did not expect, or a card that is not enabled for online or foreign payments.",
          "Check that the card number, expiry date and security code match your card, then try again. You can also pay with another card or another payment method.",
          "If the payment is still declined, call the number on the back of your card. Your bank can tell you the exact reason and lift a block if there is one.",
        ],
      },
      {
        id: "charged-twice",
        question: "Was I charged twice?",
        answer: [
          "Most likely not. When a payment attempt fails or is retried, your bank may place a temporary hold on the amount. The hold can show up as a pending transaction in your banking app, but it is not a charge: it disappears on its own within a few days, typically 1 to 7 business days depending on your bank.",
          "Payrail never charges the same payment twice. If you try again after a problem, the retry continues the same payment instead of creating a new one.",
          "If you see two completed charges, not just pending ones, for a single order, contact the shop and give them your order reference. The shop can check the payments and refund the duplicate.",
        ],
      },
      {
        id: "refund-time",
        question: "How long does a refund take?",
        answer: [
          "Refunds are started by the shop. Once the shop has issued your refund, the money goes back to the payment method you originally paid with.",
          "For card payments, a refund typically takes 5 to 10 business days to appear on your statement. Wallets such as Alipay, WeChat Pay and PayPal are usually faster. Bank transfers and iDEAL usually take a few business days.",
          "If the shop has confirmed your refund and it has not arrived after that time, ask the shop for the refund date and amount, then contact your bank with them.",
        ],
      },
      {
        id: "phishing",
        question: "How can I recognise phishing?",
        answer: [
          "The shop and Payrail will never ask for your card number, PIN or a one-time code by email, text message or phone. Anyone who asks for them is not us, even if the message looks genuine.",
          "Before you enter payment details, check the address bar: it should show the shop's payment page, over a secure connection (https). Do not follow links in messages you were not expecting; go to the shop's website yourself instead.",
          "One-time codes from your bank are only for a payment you are making right now, on a page you opened yourself. If you receive a code you did not ask for, do not share it with anyone.",
          "If you have shared your card details or a code, call your bank straight away on the number printed on your card. They can block the card and check for payments you did not make.",
        ],
      },
      {
        id: "security",
        question: "How does this page protect me?",
        answer: [
          "Your card details go only into the secure payment form on this page. They are encrypted on the way and processed by Payrail; they are not sent to the shop, which never sees your full card number or security code.",
          "Your bank may also ask you to confirm the payment, for example in its app or with a one-time code. This step, known as 3-D Secure, makes sure that only you can pay with your card.",
        ],
      },
    ],
  },

  "zh-CN": {
    title: "付款帮助",
    intro: "这里解答在本页付款时的常见问题。如有订单本身的问题（例如配送或退货），请联系商家。",
    sections: [
      {
        id: "declined",
        question: "为什么我的付款被拒绝了？",
        answer: [
          "每笔付款是否获批，由您的银行或支付服务商决定。常见的拒绝原因有：余额或可用额度不足、卡已过期、安全码有误、银行的风控系统拦截了一笔异常付款，或者该卡未开通网上支付或境外支付功能。",
          "请核对卡号、有效期和安全码是否与卡面一致，然后重试。您也可以换用其他卡或其他付款方式。",
          "如果付款仍被拒绝，请拨打卡背面的客服电话。银行可以告诉您具体原因；如果是被拦截，也可以为您解除。",
        ],
      },
      {
        id: "charged-twice",
        question: "我是否被重复扣款了？",
        answer: [
          "通常不会。付款失败或重试时，银行可能会临时冻结（预授权）相应金额。这笔冻结可能在银行 App 中显示为“处理中”的交易，但并不是实际扣款，几天内会自动解除，一般为 1 至 7 个工作日，具体取决于您的银行。",
          "Payrail 绝不会对同一笔付款扣款两次。出现问题后重试时，系统会继续完成原来那笔付款，而不会新建一笔。",
          "如果同一订单出现两笔已完成（而非处理中）的扣款，请联系商家并提供订单号。商家可以核查付款并退还重复的款项。",
        ],
      },
      {
        id: "refund-time",
        question: "退款需要多长时间？",
        answer: [
          "退款由商家发起。商家办理退款后，款项会原路退回到您付款时使用的方式。",
          "银行卡付款的退款，通常需要 5 至 10 个工作日才会显示在账单上。支付宝、微信支付、PayPal 等钱包通常更快。银行转账和 iDEAL 一般需要几个工作日。",
          "如果商家已确认退款，但过了上述时间仍未到账，请向商家索取退款日期和金额，再凭这些信息联系您的银行。",
        ],
      },
      {
        id: "phishing",
        question: "如何识别网络钓鱼？",
        answer: [
          "商家和 Payrail 绝不会通过电子邮件、短信或电话向您索要卡号、卡密码或一次性验证码。向您索要这些信息的都不是我们，即使消息看起来很像真的。",
          "输入付款信息前，请检查地址栏：显示的应是商家的付款页面，并且使用安全连接（https）。不要点击意外收到的消息中的链接，请自行前往商家网站。",
          "银行发送的一次性验证码，只用于您此刻在自己打开的页面上进行的付款。如果收到并非您申请的验证码，请不要告诉任何人。",
          "如果您已泄露卡信息或验证码，请立即拨打卡上印的电话联系银行。银行可以冻结该卡，并核查是否有非您本人的交易。",
        ],
      },
      {
        id: "security",
        question: "本页面如何保护我的安全？",
        answer: [
          "您的卡信息只会输入到本页面的安全付款表单中。这些信息在传输过程中经过加密，由 Payrail 处理，不会发送给商家；商家看不到您的完整卡号和安全码。",
          "您的银行还可能要求您确认付款，例如在银行 App 中确认或输入一次性验证码。这一步骤称为 3-D Secure，用于确保只有您本人能用这张卡付款。",
        ],
      },
    ],
  },

  "zh-TW": {
    title: "付款說明",
    intro: "這裡整理了在本頁付款時的常見問題。若是訂單本身的問題（例如配送或退貨），請聯絡商店。",
    sections: [
      {
        id: "declined",
        question: "為什麼我的付款遭到拒絕？",
        answer: [
          "每筆付款是否核准，由您的銀行或支付服務商決定。常見的拒絕原因包括：餘額或可用額度不足、卡片已過期、安全碼錯誤、銀行的防詐機制攔下一筆異常的付款，或卡片未開通網路交易或海外交易。",
          "請確認卡號、有效期限和安全碼與卡片上相符，然後再試一次。您也可以改用其他卡片或其他付款方式。",
          "如果付款仍遭拒絕，請撥打卡片背面的客服電話。銀行可以告訴您確切原因；如果是遭到攔截，也可以為您解除。",
        ],
      },
      {
        id: "charged-twice",
        question: "我被重複扣款了嗎？",
        answer: [
          "多半沒有。付款失敗或重試時，銀行可能會暫時圈存（預先授權）這筆金額。這筆圈存可能在網路銀行或 App 中顯示為「處理中」的交易，但並不是實際扣款，幾天內會自動消失，通常為 1 到 7 個營業日，視您的銀行而定。",
          "Payrail 絕不會對同一筆付款扣款兩次。發生問題後重試時，系統會繼續完成原本那筆付款，而不會另外建立一筆。",
          "如果同一筆訂單出現兩筆已完成（而非處理中）的扣款，請聯絡商店並提供訂單編號。商店可以查核付款並退還重複的款項。",
        ],
      },
      {
        id: "refund-time",
        question: "退款需要多久？",
        answer: [
          "退款由商店發起。商店辦理退款後，款項會退回您原本付款時使用的方式。",
          "信用卡付款的退款，通常需要 5 到 10 個營業日才會出現在帳單上。支付寶、微信支付、PayPal 等電子錢包通常較快。銀行轉帳和 iDEAL 一般需要幾個營業日。",
          "如果商店已確認退款，但超過上述時間仍未入帳，請向商店索取退款日期和金額，再憑這些資料聯絡您的銀行。",
        ],
      },
      {
        id: "phishing",
        question: "如何辨識釣魚詐騙？",
        answer: [
          "商店和 Payrail 絕不會透過電子郵件、簡訊或電話向您索取卡號、密碼或一次性驗證碼。向您索取這些資料的都不是我們，即使訊息看起來很像真的。",
          "輸入付款資料前，請檢查網址列：顯示的應該是商店的付款頁面，並使用安全連線（https）。不要點選意外收到的訊息中的連結，請自行前往商店網站。",
          "銀行傳送的一次性驗證碼，只用於您此刻在自己開啟的頁面上進行的付款。如果收到不是您申請的驗證碼，請不要告訴任何人。",
          "如果您已經提供卡片資料或驗證碼，請立即撥打卡片上的電話聯絡銀行。銀行可以停用這張卡片，並查核是否有不是您本人的交易。",
        ],
      },
      {
        id: "security",
        question: "這個頁面如何保護我？",
        answer: [
          "您的卡片資料只會輸入到本頁面的安全付款表單。這些資料在傳輸過程中經過加密，由 Payrail 處理，不會傳送給商店；商店看不到您的完整卡號和安全碼。",
          "您的銀行也可能要求您確認付款，例如在銀行 App 中確認或輸入一次性驗證碼。這個步驟稱為 3-D Secure，可確保只有您本人能用這張卡片付款。",
        ],
      },
    ],
  },

  ja: {
    title: "お支払いのヘルプ",
    intro:
      "このページでのお支払いに関するよくある質問です。配送や返品など、ご注文そのものに関するお問い合わせはショップまでお願いします。",
    sections: [
      {
        id: "declined",
        question: "お支払いが承認されなかったのはなぜですか？",
        answer: [
          "お支払いを承認するかどうかは、カード発行会社や決済サービスが判断します。主な理由は、残高や利用可能枠の不足、カードの有効期限切れ、セキュリティコードの誤り、不正利用を防ぐための一時的な制限、またはカードがネットショッピングや海外でのお支払いに対応していないことです。",
          "カード番号、有効期限、セキュリティコードがカードの記載どおりかをご確認のうえ、もう一度お試しください。別のカードや別のお支払い方法もご利用いただけます。",
          "それでも承認されない場合は、カード裏面に記載の電話番号にお問い合わせください。カード発行会社から具体的な理由を確認でき、制限がかかっている場合は解除を依頼できます。",
        ],
      },
      {
        id: "charged-twice",
        question: "二重に請求されていませんか？",
        answer: [
          "ほとんどの場合、二重請求ではありません。お支払いが失敗したり再試行したりすると、カード発行会社がその金額を一時的に確保（オーソリ）することがあります。アプリなどでは「未確定」の取引として表示されることがありますが、請求ではなく、数日で自動的に取り消されます。期間は通常 1～7 営業日で、カード発行会社によって異なります。",
          "Payrail が同じお支払いを二度請求することはありません。問題が起きた後に再試行した場合も、新しいお支払いは作られず、同じお支払いの手続きが続きます。",
          "1 件のご注文に対して、未確定ではなく確定済みの請求が 2 件ある場合は、注文番号を添えてショップにお問い合わせください。ショップがお支払いを確認し、重複分を返金できます。",
        ],
      },
      {
        id: "refund-time",
        question: "返金にはどのくらいかかりますか？",
        answer: [
          "返金の手続きはショップが行います。ショップが返金すると、元のお支払いに使った方法に返金されます。",
          "カードでのお支払いの場合、返金が明細に反映されるまで通常 5～10 営業日かかります。Alipay、WeChat Pay、PayPal などのウォレットは通常これより早く反映されます。銀行振込や iDEAL は通常数営業日かかります。",
          "ショップから返金済みと連絡があったのに、この期間を過ぎても反映されない場合は、ショップに返金日と金額を確認し、その情報を添えてカード発行会社または銀行にお問い合わせください。",
        ],
      },
      {
        id: "phishing",
        question: "フィッシング詐欺を見分けるには？",
        answer: [
          "ショップや Payrail が、メール、SMS、電話でカード番号、暗証番号、ワンタイムパスワードを尋ねることはありません。本物らしく見えても、これらを求める連絡は私たちからのものではありません。",
          "お支払い情報を入力する前に、アドレスバーをご確認ください。ショップのお支払いページが安全な接続（https）で表示されているはずです。心当たりのないメッセージ内のリンクは開かず、ショップのウェブサイトにご自身でアクセスしてください。",
          "金融機関から届くワンタイムパスワードは、ご自身で開いたページで今まさに行っているお支払いのためだけのものです。身に覚えのないコードが届いたら、誰にも伝えないでください。",
          "カード情報やコードを伝えてしまった場合は、すぐにカードに記載の電話番号からカード発行会社に連絡してください。カードの利用停止や、身に覚えのない利用がないかの確認をしてもらえます。",
        ],
      },
      {
        id: "security",
        question: "このページではどのように保護されていますか？",
        answer: [
          "カード情報は、このページの安全なお支払いフォームにのみ入力されます。情報は暗号化して送信され、Payrail が処理します。ショップには送られないため、ショップがカード番号全体やセキュリティコードを見ることはありません。",
          "カード発行会社から、アプリやワンタイムパスワードなどでお支払いの確認を求められることもあります。3-D セキュアと呼ばれるこの手順により、ご本人以外がカードで支払えないようにしています。",
        ],
      },
    ],
  },

  ko: {
    title: "결제 도움말",
    intro:
      "이 페이지에서 결제할 때 자주 묻는 질문에 대한 답변입니다. 배송이나 반품 등 주문 자체에 관한 문의는 상점에 해 주세요.",
    sections: [
      {
        id: "declined",
        question: "결제가 거절된 이유는 무엇인가요?",
        answer: [
          "결제 승인 여부는 카드사나 결제 서비스 제공업체가 결정합니다. 흔한 거절 사유는 잔액 또는 한도 부족, 카드 유효기간 만료, 잘못된 보안 코드, 카드사의 부정 사용 방지 시스템이 예상치 못한 결제를 차단한 경우, 온라인 결제나 해외 결제가 허용되지 않은 카드인 경우입니다.",
          "카드 번호, 유효기간, 보안 코드가 카드에 적힌 내용과 같은지 확인한 후 다시 시도하세요. 다른 카드나 다른 결제 수단을 사용할 수도 있습니다.",
          "그래도 결제가 거절되면 카드 뒷면에 있는 번호로 전화하세요. 카드사에서 정확한 사유를 알려 주고, 차단된 경우 해제해 줄 수 있습니다.",
        ],
      },
      {
        id: "charged-twice",
        question: "두 번 결제되었나요?",
        answer: [
          "대부분 그렇지 않습니다. 결제 시도가 실패하거나 다시 시도하면 카드사가 해당 금액을 일시적으로 보류(승인 대기)할 수 있습니다. 이 보류 금액은 은행 앱에 '대기 중' 거래로 표시될 수 있지만 실제 청구가 아니며, 며칠 안에 자동으로 사라집니다. 카드사에 따라 보통 영업일 기준 1~7일이 걸립니다.",
          "Payrail은 같은 결제를 절대 두 번 청구하지 않습니다. 문제가 생긴 뒤 다시 시도하면 새 결제를 만들지 않고 같은 결제를 이어서 진행합니다.",
          "주문 하나에 대기 중이 아닌 완료된 청구가 두 건 있다면, 주문 번호와 함께 상점에 문의하세요. 상점에서 결제 내역을 확인하고 중복된 금액을 환불할 수 있습니다.",
        ],
      },
      {
        id: "refund-time",
        question: "환불에는 얼마나 걸리나요?",
        answer: [
          "환불은 상점에서 진행합니다. 상점이 환불하면 처음 결제할 때 사용한 수단으로 금액이 돌아갑니다.",
          "카드 결제의 경우 환불이 명세서에 반영되기까지 보통 영업일 기준 5~10일이 걸립니다. Alipay, WeChat Pay, PayPal 같은 간편결제는 대개 더 빠릅니다. 계좌 이체와 iDEAL은 보통 영업일 기준 며칠이 걸립니다.",
          "상점에서 환불을 확인해 주었는데 이 기간이 지나도 반영되지 않았다면, 상점에 환불 날짜와 금액을 확인한 뒤 그 정보를 가지고 카드사나 은행에 문의하세요.",
        ],
      },
      {
        id: "phishing",
        question: "피싱은 어떻게 알아볼 수 있나요?",
        answer: [
          "상점과 Payrail은 이메일, 문자 메시지, 전화로 카드 번호, 비밀번호, 일회용 인증번호를 절대 요청하지 않습니다. 진짜처럼 보이더라도 이런 정보를 요구한다면 저희가 아닙니다.",
          "결제 정보를 입력하기 전에 주소 표시줄을 확인하세요. 보안 연결(https)을 사용하는 상점의 결제 페이지여야 합니다. 예상하지 못한 메시지 속 링크는 누르지 말고, 상점 웹사이트에 직접 접속하세요.",
          "은행이나 카드사에서 보내는 일회용 인증번호는 직접 연 페이지에서 지금 진행 중인 결제에만 쓰는 것입니다. 요청하지 않은 인증번호를 받았다면 누구에게도 알려 주지 마세요.",
          "카드 정보나 인증번호를 이미 알려 주었다면 카드에 적힌 번호로 즉시 카드사에 전화하세요. 카드를 정지하고 본인이 하지 않은 결제가 있는지 확인해 줄 수 있습니다.",
        ],
      },
      {
        id: "security",
        question: "이 페이지는 저를 어떻게 보호하나요?",
        answer: [
          "카드 정보는 이 페이지의 보안 결제 양식에만 입력됩니다. 정보는 암호화되어 전송되고 Payrail이 처리하며, 상점으로 전달되지 않습니다. 따라서 상점은 전체 카드 번호나 보안 코드를 볼 수 없습니다.",
          "카드사에서 앱이나 일회용 인증번호 등으로 결제를 확인하도록 요청할 수도 있습니다. 3-D Secure라고 하는 이 단계는 본인만 카드로 결제할 수 있도록 해 줍니다.",
        ],
      },
    ],
  },

  th: {
    title: "ความช่วยเหลือเรื่องการชำระเงิน",
    intro:
      "คำตอบสำหรับคำถามที่พบบ่อยเกี่ยวกับการชำระเงินในหน้านี้ หากมีคำถามเกี่ยวกับคำสั่งซื้อ เช่น การจัดส่งหรือการคืนสินค้า โปรดติดต่อร้านค้า",
    sections: [
      {
        id: "declined",
        question: "ทำไมการชำระเงินของฉันถูกปฏิเสธ",
        answer: [
          "ธนาคารหรือผู้ให้บริการชำระเงินของคุณเป็นผู้ตัดสินว่าจะอนุมัติการชำระเงินแต่ละรายการหรือไม่ สาเหตุที่พบบ่อย ได้แก่ ยอดเงินหรือวงเงินไม่พอ บัตรหมดอายุ รหัสความปลอดภัยไม่ถูกต้อง ระบบป้องกันการทุจริตของธนาคารระงับรายการที่ดูผิดปกติ หรือบัตรยังไม่ได้เปิดใช้สำหรับการชำระเงินออนไลน์หรือในต่างประเทศ",
          "ตรวจสอบว่าหมายเลขบัตร วันหมดอายุ และรหัสความปลอดภัยตรงกับบัตรของคุณ แล้วลองอีกครั้ง หรือจะใช้บัตรอื่นหรือวิธีการชำระเงินอื่นก็ได้",
          "หากยังถูกปฏิเสธ โปรดโทรไปที่หมายเลขด้านหลังบัตร ธนาคารจะแจ้งสาเหตุที่แท้จริงได้ และหากบัตรถูกระงับไว้ก็สามารถปลดการระงับให้ได้",
        ],
      },
      {
        id: "charged-twice",
        question: "ฉันถูกเรียกเก็บเงินซ้ำหรือไม่",
        answer: [
          "ส่วนใหญ่แล้วไม่ใช่ เมื่อการชำระเงินไม่สำเร็จหรือมีการลองใหม่ ธนาคารอาจกันวงเงินไว้ชั่วคราว ยอดที่กันไว้นี้อาจแสดงเป็นรายการรอดำเนินการในแอปธนาคาร แต่ไม่ใช่การเรียกเก็บเงินจริง และจะหายไปเองภายในไม่กี่วัน โดยทั่วไปคือ 1–7 วันทำการ ขึ้นอยู่กับธนาคารของคุณ",
          "Payrail ไม่เคยเรียกเก็บเงินซ้ำสำหรับการชำระเงินรายการเดียวกัน หากคุณลองใหม่หลังเกิดปัญหา ระบบจะดำเนินการชำระเงินรายการเดิมต่อ โดยไม่สร้างรายการใหม่",
          "หากคุณเห็นรายการเรียกเก็บเงินที่สำเร็จแล้วสองรายการ (ไม่ใช่รายการรอดำเนินการ) สำหรับคำสั่งซื้อเดียว โปรดติดต่อร้านค้าพร้อมแจ้งหมายเลขคำสั่งซื้อ ร้านค้าสามารถตรวจสอบและคืนเงินส่วนที่ซ้ำให้ได้",
        ],
      },
      {
        id: "refund-time",
        question: "การคืนเงินใช้เวลานานเท่าใด",
        answer: [
          "ร้านค้าเป็นผู้เริ่มการคืนเงิน เมื่อร้านค้าคืนเงินแล้ว เงินจะกลับไปยังวิธีการชำระเงินเดิมที่คุณใช้",
          "สำหรับการชำระด้วยบัตร โดยทั่วไปยอดคืนเงินจะปรากฏในใบแจ้งยอดภายใน 5–10 วันทำการ วอลเล็ต เช่น Alipay, WeChat Pay และ PayPal มักเร็วกว่า ส่วนการโอนผ่านธนาคารและ iDEAL มักใช้เวลาไม่กี่วันทำการ",
          "หากร้านค้ายืนยันการคืนเงินแล้ว แต่เลยระยะเวลาดังกล่าวยังไม่ได้รับเงิน โปรดขอวันที่และจำนวนเงินที่คืนจากร้านค้า แล้วติดต่อธนาคารของคุณพร้อมข้อมูลนั้น",
        ],
      },
      {
        id: "phishing",
        question: "จะสังเกตฟิชชิงได้อย่างไร",
        answer: [
          "ร้านค้าและ Payrail จะไม่ขอหมายเลขบัตร รหัส PIN หรือรหัสผ่านแบบใช้ครั้งเดียว (OTP) ทางอีเมล SMS หรือโทรศัพท์ ผู้ที่ขอข้อมูลเหล่านี้ไม่ใช่เรา แม้ข้อความจะดูเหมือนของจริงก็ตาม",
          "ก่อนกรอกข้อมูลการชำระเงิน ให้ตรวจสอบแถบที่อยู่ว่าเป็นหน้าชำระเงินของร้านค้าที่ใช้การเชื่อมต่อที่ปลอดภัย (https) อย่ากดลิงก์ในข้อความที่คุณไม่ได้คาดว่าจะได้รับ ให้เข้าเว็บไซต์ของร้านค้าด้วยตนเองแทน",
          "รหัส OTP จากธนาคารใช้สำหรับการชำระเงินที่คุณกำลังทำอยู่ในขณะนั้น บนหน้าที่คุณเปิดเองเท่านั้น หากได้รับรหัสที่คุณไม่ได้ขอ อย่าบอกรหัสนั้นกับใคร",
          "หากคุณเผลอให้ข้อมูลบัตรหรือรหัสไปแล้ว โปรดโทรหาธนาคารทันทีที่หมายเลขบนบัตร ธนาคารสามารถอายัดบัตรและตรวจสอบรายการที่คุณไม่ได้ทำได้",
        ],
      },
      {
        id: "security",
        question: "หน้านี้ปกป้องฉันอย่างไร",
        answer: [
          "ข้อมูลบัตรของคุณจะถูกกรอกลงในแบบฟอร์มชำระเงินที่ปลอดภัยบนหน้านี้เท่านั้น ข้อมูลจะถูกเข้ารหัสระหว่างส่งและดำเนินการโดย Payrail โดยไม่ได้ส่งให้ร้านค้า ร้านค้าจึงไม่เห็นหมายเลขบัตรเต็มหรือรหัสความปลอดภัยของคุณ",
          "ธนาคารของคุณอาจขอให้ยืนยันการชำระเงินด้วย เช่น ผ่านแอปของธนาคารหรือรหัส OTP ขั้นตอนนี้เรียกว่า 3-D Secure ซึ่งช่วยให้มั่นใจว่ามีเพียงคุณเท่านั้นที่ชำระเงินด้วยบัตรของคุณได้",
        ],
      },
    ],
  },

  ms: {
    title: "Bantuan pembayaran",
    intro:
      "Jawapan kepada soalan lazim tentang pembayaran di halaman ini. Untuk pertanyaan tentang pesanan itu sendiri, seperti penghantaran atau pemulangan, hubungi kedai.",
    sections: [
      {
        id: "declined",
        question: "Mengapa pembayaran saya ditolak?",
        answer: [
          "Bank atau penyedia pembayaran anda yang menentukan sama ada sesuatu pembayaran diluluskan. Sebab yang paling biasa ialah baki atau had kredit tidak mencukupi, kad telah luput, kod keselamatan salah, perlindungan penipuan bank menyekat pembayaran yang tidak dijangka, atau kad belum diaktifkan untuk pembayaran dalam talian atau luar negara.",
          "Pastikan nombor kad, tarikh luput dan kod keselamatan sepadan dengan kad anda, kemudian cuba lagi. Anda juga boleh menggunakan kad lain atau kaedah pembayaran lain.",
          "Jika pembayaran masih ditolak, hubungi nombor di belakang kad anda. Bank anda boleh memberitahu sebab sebenar dan membuka sekatan jika ada.",
        ],
      },
      {
        id: "charged-twice",
        question: "Adakah saya dicaj dua kali?",
        answer: [
          "Kemungkinan besar tidak. Apabila percubaan pembayaran gagal atau dicuba semula, bank anda mungkin menahan jumlah itu buat sementara waktu. Tahanan ini boleh muncul sebagai transaksi belum selesai dalam aplikasi bank anda, tetapi ia bukan caj: ia akan hilang dengan sendirinya dalam beberapa hari, biasanya 1 hingga 7 hari bekerja bergantung pada bank anda.",
          "Payrail tidak pernah mengecaj pembayaran yang sama dua kali. Jika anda mencuba semula selepas berlaku masalah, percubaan itu meneruskan pembayaran yang sama dan tidak mencipta pembayaran baharu.",
          "Jika anda melihat dua caj yang telah selesai (bukan sekadar belum selesai) untuk satu pesanan, hubungi kedai dan berikan nombor rujukan pesanan anda. Kedai boleh menyemak pembayaran dan memulangkan caj yang berganda.",
        ],
      },
      {
        id: "refund-time",
        question: "Berapa lama bayaran balik mengambil masa?",
        answer: [
          "Bayaran balik dimulakan oleh kedai. Selepas kedai mengeluarkan bayaran balik, wang akan dikembalikan kepada kaedah pembayaran asal yang anda gunakan.",
          "Bagi pembayaran kad, bayaran balik biasanya mengambil masa 5 hingga 10 hari bekerja untuk muncul dalam penyata anda. Dompet seperti Alipay, WeChat Pay dan PayPal biasanya lebih cepat. Pindahan bank dan iDEAL biasanya mengambil masa beberapa hari bekerja.",
          "Jika kedai telah mengesahkan bayaran balik anda tetapi ia belum diterima selepas tempoh itu, minta tarikh dan jumlah bayaran balik daripada kedai, kemudian hubungi bank anda dengan maklumat tersebut.",
        ],
      },
      {
        id: "phishing",
        question: "Bagaimana mengenal pasti pancingan data (phishing)?",
        answer: [
          "Kedai dan Payrail tidak akan sekali-kali meminta nombor kad, PIN atau kod sekali guna (OTP) anda melalui e-mel, SMS atau telefon. Sesiapa yang memintanya bukan kami, walaupun mesejnya kelihatan tulen.",
          "Sebelum memasukkan butiran pembayaran, semak bar alamat: ia sepatutnya menunjukkan halaman pembayaran kedai melalui sambungan selamat (https). Jangan ikut pautan dalam mesej yang tidak anda jangka; sebaliknya, pergi sendiri ke laman web kedai.",
          "Kod sekali guna daripada bank anda hanya untuk pembayaran yang sedang anda buat pada masa itu, di halaman yang anda buka sendiri. Jika anda menerima kod yang tidak anda minta, jangan kongsikannya dengan sesiapa.",
          "Jika anda telah berkongsi butiran kad atau kod, hubungi bank anda dengan segera di nombor yang tertera pada kad anda. Bank boleh menyekat kad dan menyemak sebarang pembayaran yang tidak anda buat.",
        ],
      },
      {
        id: "security",
        question: "Bagaimanakah halaman ini melindungi saya?",
        answer: [
          "Butiran kad anda hanya dimasukkan ke dalam borang pembayaran selamat di halaman ini. Butiran itu disulitkan semasa dihantar dan diproses oleh Payrail; ia tidak dihantar kepada kedai, jadi kedai tidak pernah melihat nombor kad penuh atau kod keselamatan anda.",
          "Bank anda juga mungkin meminta anda mengesahkan pembayaran, contohnya dalam aplikasinya atau dengan kod sekali guna. Langkah ini, yang dikenali sebagai 3-D Secure, memastikan hanya anda yang boleh membayar dengan kad anda.",
        ],
      },
    ],
  },

  id: {
    title: "Bantuan pembayaran",
    intro:
      "Jawaban atas pertanyaan umum tentang pembayaran di halaman ini. Untuk pertanyaan tentang pesanan itu sendiri, seperti pengiriman atau pengembalian barang, hubungi toko.",
    sections: [
      {
        id: "declined",
        question: "Mengapa pembayaran saya ditolak?",
        answer: [
          "Bank atau penyedia pembayaran Anda yang memutuskan apakah suatu pembayaran disetujui. Penyebab penolakan yang paling umum adalah saldo atau limit tidak mencukupi, kartu sudah kedaluwarsa, kode keamanan salah, sistem antipenipuan bank menahan pembayaran yang tidak biasa, atau kartu belum diaktifkan untuk transaksi online atau luar negeri.",
          "Pastikan nomor kartu, masa berlaku, dan kode keamanan sesuai dengan kartu Anda, lalu coba lagi. Anda juga bisa memakai kartu lain atau metode pembayaran lain.",
          "Jika pembayaran masih ditolak, hubungi nomor di bagian belakang kartu Anda. Bank dapat memberi tahu penyebab pastinya dan membuka blokir jika ada.",
        ],
      },
      {
        id: "charged-twice",
        question: "Apakah saya ditagih dua kali?",
        answer: [
          "Kemungkinan besar tidak. Jika percobaan pembayaran gagal atau diulang, bank Anda mungkin menahan sementara jumlah tersebut. Dana yang ditahan ini bisa muncul sebagai transaksi tertunda di aplikasi bank Anda, tetapi bukan tagihan: penahanan akan hilang dengan sendirinya dalam beberapa hari, biasanya 1 sampai 7 hari kerja, tergantung bank Anda.",
          "Payrail tidak pernah menagih pembayaran yang sama dua kali. Jika Anda mencoba lagi setelah terjadi masalah, percobaan itu melanjutkan pembayaran yang sama, bukan membuat pembayaran baru.",
          "Jika Anda melihat dua tagihan yang sudah selesai (bukan sekadar tertunda) untuk satu pesanan, hubungi toko dan sertakan nomor referensi pesanan Anda. Toko dapat memeriksa pembayaran dan mengembalikan tagihan ganda.",
        ],
      },
      {
        id: "refund-time",
        question: "Berapa lama proses pengembalian dana?",
        answer: [
          "Pengembalian dana dimulai oleh toko. Setelah toko memproses pengembalian dana, uang akan kembali ke metode pembayaran yang Anda gunakan semula.",
          "Untuk pembayaran kartu, pengembalian dana biasanya baru muncul di tagihan Anda dalam 5 sampai 10 hari kerja. Dompet digital seperti Alipay, WeChat Pay, dan PayPal biasanya lebih cepat. Transfer bank dan iDEAL biasanya memerlukan beberapa hari kerja.",
          "Jika toko sudah mengonfirmasi pengembalian dana tetapi dana belum masuk setelah waktu tersebut, minta tanggal dan jumlah pengembalian dana dari toko, lalu hubungi bank Anda dengan informasi itu.",
        ],
      },
      {
        id: "phishing",
        question: "Bagaimana cara mengenali phishing?",
        answer: [
          "Toko dan Payrail tidak pernah meminta nomor kartu, PIN, atau kode sekali pakai (OTP) Anda melalui email, SMS, atau telepon. Siapa pun yang memintanya bukan kami, meskipun pesannya terlihat asli.",
          "Sebelum memasukkan detail pembayaran, periksa bilah alamat: yang tampil seharusnya halaman pembayaran toko dengan koneksi aman (https). Jangan membuka tautan dalam pesan yang tidak Anda harapkan; buka sendiri situs web toko.",
          "Kode sekali pakai dari bank hanya untuk pembayaran yang sedang Anda lakukan saat itu, di halaman yang Anda buka sendiri. Jika Anda menerima kode yang tidak Anda minta, jangan berikan kepada siapa pun.",
          "Jika Anda telanjur memberikan detail kartu atau kode, segera hubungi bank Anda melalui nomor yang tertera di kartu. Bank dapat memblokir kartu dan memeriksa pembayaran yang tidak Anda lakukan.",
        ],
      },
      {
        id: "security",
        question: "Bagaimana halaman ini melindungi saya?",
        answer: [
          "Detail kartu Anda hanya dimasukkan ke formulir pembayaran aman di halaman ini. Detail tersebut dienkripsi selama pengiriman dan diproses oleh Payrail; detail itu tidak dikirim ke toko, sehingga toko tidak pernah melihat nomor kartu lengkap atau kode keamanan Anda.",
          "Bank Anda juga dapat meminta Anda mengonfirmasi pembayaran, misalnya di aplikasinya atau dengan kode sekali pakai. Langkah yang dikenal sebagai 3-D Secure ini memastikan hanya Anda yang dapat membayar dengan kartu Anda.",
        ],
      },
    ],
  },

  vi: {
    title: "Trợ giúp thanh toán",
    intro:
      "Giải đáp các câu hỏi thường gặp khi thanh toán trên trang này. Với các câu hỏi về bản thân đơn hàng, chẳng hạn giao hàng hoặc đổi trả, hãy liên hệ cửa hàng.",
    sections: [
      {
        id: "declined",
        question: "Vì sao khoản thanh toán của tôi bị từ chối?",
        answer: [
          "Ngân hàng hoặc nhà cung cấp dịch vụ thanh toán của bạn quyết định có chấp thuận từng khoản thanh toán hay không. Các lý do thường gặp là: số dư hoặc hạn mức không đủ, thẻ đã hết hạn, mã bảo mật sai, hệ thống chống gian lận của ngân hàng chặn một giao dịch bất thường, hoặc thẻ chưa được bật tính năng thanh toán trực tuyến hay thanh toán quốc tế.",
          "Hãy kiểm tra số thẻ, ngày hết hạn và mã bảo mật có khớp với thẻ của bạn không, rồi thử lại. Bạn cũng có thể dùng thẻ khác hoặc phương thức thanh toán khác.",
          "Nếu vẫn bị từ chối, hãy gọi đến số điện thoại ở mặt sau thẻ. Ngân hàng có thể cho bạn biết lý do cụ thể và gỡ chặn nếu thẻ đang bị chặn.",
        ],
      },
      {
        id: "charged-twice",
        question: "Tôi có bị trừ tiền hai lần không?",
        answer: [
          "Nhiều khả năng là không. Khi một lần thanh toán thất bại hoặc được thử lại, ngân hàng có thể tạm giữ số tiền đó. Khoản tạm giữ có thể hiện là giao dịch đang chờ xử lý trong ứng dụng ngân hàng, nhưng đó không phải là khoản bị trừ: nó sẽ tự biến mất sau vài ngày, thường từ 1 đến 7 ngày làm việc tùy ngân hàng.",
          "Payrail không bao giờ thu tiền hai lần cho cùng một khoản thanh toán. Nếu bạn thử lại sau khi gặp sự cố, lần thử lại sẽ tiếp tục chính khoản thanh toán đó thay vì tạo khoản mới.",
          "Nếu bạn thấy hai khoản trừ tiền đã hoàn tất (không chỉ đang chờ xử lý) cho một đơn hàng, hãy liên hệ cửa hàng và cung cấp mã tham chiếu đơn hàng. Cửa hàng có thể kiểm tra và hoàn lại khoản bị trùng.",
        ],
      },
      {
        id: "refund-time",
        question: "Hoàn tiền mất bao lâu?",
        answer: [
          "Cửa hàng là bên thực hiện hoàn tiền. Sau khi cửa hàng hoàn tiền, số tiền sẽ được trả về phương thức thanh toán bạn đã dùng ban đầu.",
          "Với thanh toán bằng thẻ, khoản hoàn tiền thường mất 5 đến 10 ngày làm việc để hiện trên sao kê. Các ví như Alipay, WeChat Pay và PayPal thường nhanh hơn. Chuyển khoản ngân hàng và iDEAL thường mất vài ngày làm việc.",
          "Nếu cửa hàng đã xác nhận hoàn tiền mà sau thời gian trên bạn vẫn chưa nhận được, hãy hỏi cửa hàng ngày và số tiền hoàn, rồi liên hệ ngân hàng với các thông tin đó.",
        ],
      },
      {
        id: "phishing",
        question: "Làm sao nhận biết lừa đảo trực tuyến (phishing)?",
        answer: [
          "Cửa hàng và Payrail không bao giờ yêu cầu số thẻ, mã PIN hay mã xác thực dùng một lần (OTP) của bạn qua email, tin nhắn hoặc điện thoại. Bất kỳ ai yêu cầu những thông tin này đều không phải chúng tôi, dù tin nhắn trông có vẻ thật.",
          "Trước khi nhập thông tin thanh toán, hãy kiểm tra thanh địa chỉ: đó phải là trang thanh toán của cửa hàng, dùng kết nối bảo mật (https). Đừng bấm vào liên kết trong tin nhắn bạn không chờ đợi; hãy tự truy cập trang web của cửa hàng.",
          "Mã OTP từ ngân hàng chỉ dùng cho khoản thanh toán bạn đang thực hiện ngay lúc đó, trên trang bạn tự mở. Nếu nhận được mã mà bạn không yêu cầu, đừng cung cấp cho bất kỳ ai.",
          "Nếu bạn đã lỡ cung cấp thông tin thẻ hoặc mã, hãy gọi ngay cho ngân hàng theo số in trên thẻ. Ngân hàng có thể khóa thẻ và kiểm tra các giao dịch không phải do bạn thực hiện.",
        ],
      },
      {
        id: "security",
        question: "Trang này bảo vệ tôi như thế nào?",
        answer: [
          "Thông tin thẻ của bạn chỉ được nhập vào biểu mẫu thanh toán bảo mật trên trang này. Thông tin được mã hóa khi truyền đi và do Payrail xử lý; thông tin không được gửi cho cửa hàng, nên cửa hàng không bao giờ thấy số thẻ đầy đủ hay mã bảo mật của bạn.",
          "Ngân hàng cũng có thể yêu cầu bạn xác nhận thanh toán, chẳng hạn trong ứng dụng ngân hàng hoặc bằng mã OTP. Bước này, gọi là 3-D Secure, giúp đảm bảo chỉ bạn mới có thể thanh toán bằng thẻ của mình.",
        ],
      },
    ],
  },

  nl: {
    title: "Hulp bij betalen",
    intro:
      "Antwoorden op veelgestelde vragen over betalen op deze pagina. Heb je een vraag over de bestelling zelf, zoals bezorging of retourneren? Neem dan contact op met de winkel.",
    sections: [
      {
        id: "declined",
        question: "Waarom is mijn betaling geweigerd?",
        answer: [
          "Je bank of betaalprovider beslist of een betaling wordt goedgekeurd. De meest voorkomende redenen voor een weigering zijn: onvoldoende saldo of bestedingsruimte, een verlopen kaart, een verkeerde beveiligingscode, fraudebeveiliging van de bank die een onverwachte betaling tegenhoudt, of een kaart die niet is ingesteld voor online betalingen of betalingen in het buitenland.",
          "Controleer of het kaartnummer, de vervaldatum en de beveiligingscode overeenkomen met je kaart en probeer het opnieuw. Je kunt ook een andere kaart of een andere betaalmethode gebruiken.",
          "Wordt de betaling nog steeds geweigerd? Bel dan het nummer op de achterkant van je kaart. Je bank kan je de precieze reden vertellen en een eventuele blokkade opheffen.",
        ],
      },
      {
        id: "charged-twice",
        question: "Is er twee keer afgeschreven?",
        answer: [
          "Waarschijnlijk niet. Als een betaalpoging mislukt of opnieuw wordt geprobeerd, kan je bank het bedrag tijdelijk reserveren. Zo'n reservering kan in je bankapp als 'in behandeling' staan, maar het is geen afschrijving: ze verdwijnt vanzelf binnen een paar dagen, meestal binnen 1 tot 7 werkdagen, afhankelijk van je bank.",
          "Payrail schrijft dezelfde betaling nooit twee keer af. Als je het na een probleem opnieuw probeert, gaat dezelfde betaling verder in plaats van dat er een nieuwe wordt aangemaakt.",
          "Zie je voor één bestelling twee voltooide afschrijvingen, dus niet alleen reserveringen? Neem dan contact op met de winkel en vermeld je bestelnummer. De winkel kan de betalingen controleren en de dubbele afschrijving terugbetalen.",
        ],
      },
      {
        id: "refund-time",
        question: "Hoe lang duurt een terugbetaling?",
        answer: [
          "Terugbetalingen worden gestart door de winkel. Zodra de winkel je geld heeft teruggestort, gaat het bedrag terug naar de betaalmethode waarmee je oorspronkelijk hebt betaald.",
          "Bij kaartbetalingen duurt het meestal 5 tot 10 werkdagen voordat de terugbetaling op je afschrift staat. Wallets zoals Alipay, WeChat Pay en PayPal zijn meestal sneller. Bankoverschrijvingen en iDEAL duren meestal een paar werkdagen.",
          "Heeft de winkel je terugbetaling bevestigd, maar is het geld er na deze termijn nog niet? Vraag de winkel dan om de datum en het bedrag van de terugbetaling en neem daarmee contact op met je bank.",
        ],
      },
      {
        id: "phishing",
        question: "Hoe herken ik phishing?",
        answer: [
          "De winkel en Payrail vragen nooit per e-mail, sms of telefoon om je kaartnummer, pincode of eenmalige code. Wie daar wel om vraagt, is niet van ons, ook als het bericht echt lijkt.",
          "Controleer de adresbalk voordat je betaalgegevens invult: je moet de betaalpagina van de winkel zien, via een beveiligde verbinding (https). Klik niet op links in berichten die je niet verwachtte; ga zelf naar de website van de winkel.",
          "Eenmalige codes van je bank zijn alleen bedoeld voor een betaling die je op dat moment zelf doet, op een pagina die je zelf hebt geopend. Krijg je een code waar je niet om hebt gevraagd? Deel die dan met niemand.",
          "Heb je je kaartgegevens of een code gedeeld? Bel dan meteen je bank via het nummer op je kaart. Je bank kan de kaart blokkeren en nagaan of er betalingen zijn die je niet zelf hebt gedaan.",
        ],
      },
      {
        id: "security",
        question: "Hoe beschermt deze pagina mij?",
        answer: [
          "Je kaartgegevens vul je alleen in het beveiligde betaalformulier op deze pagina in. Ze worden versleuteld verstuurd en door Payrail verwerkt; ze gaan niet naar de winkel, die je volledige kaartnummer en beveiligingscode dus nooit ziet.",
          "Je bank kan je ook vragen de betaling te bevestigen, bijvoorbeeld in de bankapp of met een eenmalige code. Deze stap, 3D Secure genoemd, zorgt ervoor dat alleen jij met je kaart kunt betalen.",
        ],
      },
    ],
  },

  de: {
    title: "Hilfe zur Zahlung",
    intro:
      "Antworten auf häufige Fragen zum Bezahlen auf dieser Seite. Bei Fragen zur Bestellung selbst, etwa zu Lieferung oder Rückgabe, wenden Sie sich bitte an den Shop.",
    sections: [
      {
        id: "declined",
        question: "Warum wurde meine Zahlung abgelehnt?",
        answer: [
          "Ob eine Zahlung genehmigt wird, entscheidet Ihre Bank oder Ihr Zahlungsanbieter. Die häufigsten Gründe für eine Ablehnung sind: nicht genügend Guthaben oder Verfügungsrahmen, eine abgelaufene Karte, ein falscher Sicherheitscode, der Betrugsschutz der Bank, der eine unerwartete Zahlung stoppt, oder eine Karte, die nicht für Online- oder Auslandszahlungen freigeschaltet ist.",
          "Prüfen Sie, ob Kartennummer, Ablaufdatum und Sicherheitscode mit Ihrer Karte übereinstimmen, und versuchen Sie es erneut. Sie können auch eine andere Karte oder eine andere Zahlungsmethode verwenden.",
          "Wird die Zahlung weiterhin abgelehnt, rufen Sie die Nummer auf der Rückseite Ihrer Karte an. Ihre Bank kann Ihnen den genauen Grund nennen und eine Sperre gegebenenfalls aufheben.",
        ],
      },
      {
        id: "charged-twice",
        question: "Wurde der Betrag doppelt abgebucht?",
        answer: [
          "Sehr wahrscheinlich nicht. Wenn ein Zahlungsversuch fehlschlägt oder wiederholt wird, kann Ihre Bank den Betrag vorübergehend reservieren. Diese Reservierung kann in Ihrer Banking-App als vorgemerkte Buchung erscheinen, ist aber keine Belastung: Sie verschwindet nach einigen Tagen von selbst, je nach Bank meist innerhalb von 1 bis 7 Werktagen.",
          "Payrail belastet dieselbe Zahlung nie doppelt. Wenn Sie es nach einem Problem erneut versuchen, wird dieselbe Zahlung fortgesetzt, statt eine neue anzulegen.",
          "Sehen Sie für eine Bestellung zwei abgeschlossene Belastungen, nicht nur vorgemerkte? Dann wenden Sie sich mit Ihrer Bestellnummer an den Shop. Der Shop kann die Zahlungen prüfen und die doppelte Belastung erstatten.",
        ],
      },
      {
        id: "refund-time",
        question: "Wie lange dauert eine Erstattung?",
        answer: [
          "Erstattungen werden vom Shop veranlasst. Sobald der Shop die Erstattung ausgelöst hat, geht das Geld an die Zahlungsmethode zurück, mit der Sie ursprünglich bezahlt haben.",
          "Bei Kartenzahlungen dauert es in der Regel 5 bis 10 Werktage, bis die Erstattung auf Ihrer Abrechnung erscheint. Wallets wie Alipay, WeChat Pay und PayPal sind meist schneller. Banküberweisungen und iDEAL dauern in der Regel einige Werktage.",
          "Hat der Shop Ihre Erstattung bestätigt, ist sie nach dieser Zeit aber noch nicht eingegangen, fragen Sie den Shop nach Datum und Betrag der Erstattung und wenden Sie sich damit an Ihre Bank.",
        ],
      },
      {
        id: "phishing",
        question: "Wie erkenne ich Phishing?",
        answer: [
          "Der Shop und Payrail fragen Sie niemals per E-Mail, SMS oder Telefon nach Ihrer Kartennummer, Ihrer PIN oder einem Einmalcode. Wer danach fragt, gehört nicht zu uns, auch wenn die Nachricht echt aussieht.",
          "Prüfen Sie die Adressleiste, bevor Sie Zahlungsdaten eingeben: Sie sollte die Zahlungsseite des Shops über eine sichere Verbindung (https) zeigen. Folgen Sie keinen Links in Nachrichten, die Sie nicht erwartet haben; rufen Sie die Website des Shops stattdessen selbst auf.",
          "Einmalcodes Ihrer Bank sind nur für eine Zahlung gedacht, die Sie gerade selbst auf einer von Ihnen geöffneten Seite ausführen. Erhalten Sie einen Code, den Sie nicht angefordert haben, geben Sie ihn an niemanden weiter.",
          "Haben Sie Ihre Kartendaten oder einen Code weitergegeben, rufen Sie sofort Ihre Bank unter der Nummer auf Ihrer Karte an. Ihre Bank kann die Karte sperren und prüfen, ob es Zahlungen gibt, die nicht von Ihnen stammen.",
        ],
      },
      {
        id: "security",
        question: "Wie schützt mich diese Seite?",
        answer: [
          "Ihre Kartendaten geben Sie nur in das sichere Zahlungsformular auf dieser Seite ein. Sie werden verschlüsselt übertragen und von Payrail verarbeitet; an den Shop gehen sie nicht, er sieht Ihre vollständige Kartennummer und Ihren Sicherheitscode also nie.",
          "Ihre Bank kann Sie außerdem bitten, die Zahlung zu bestätigen, etwa in ihrer App oder mit einem Einmalcode. Dieser Schritt, 3-D Secure genannt, stellt sicher, dass nur Sie mit Ihrer Karte bezahlen können.",
        ],
      },
    ],
  },

  // French puts a no-break space (\u00a0) before ":", ";", "?" and "!".
  fr: {
    title: "Aide au paiement",
    intro:
      "Réponses aux questions fréquentes sur le paiement sur cette page. Pour toute question sur la commande elle-même, comme la livraison ou un retour, contactez la boutique.",
    sections: [
      {
        id: "declined",
        question: "Pourquoi mon paiement a-t-il été refusé\u00a0?",
        answer: [
          "C’est votre banque ou votre prestataire de paiement qui décide d’accepter ou non chaque paiement. Les motifs de refus les plus courants sont\u00a0: un solde ou un plafond insuffisant, une carte expirée, un code de sécurité erroné, la protection anti-fraude de la banque qui bloque un paiement inhabituel, ou une carte non activée pour les paiements en ligne ou à l’étranger.",
          "Vérifiez que le numéro de carte, la date d’expiration et le code de sécurité correspondent à votre carte, puis réessayez. Vous pouvez aussi utiliser une autre carte ou un autre moyen de paiement.",
          "Si le paiement est toujours refusé, appelez le numéro indiqué au dos de votre carte. Votre banque peut vous indiquer le motif exact et, le cas échéant, lever le blocage.",
        ],
      },
      {
        id: "charged-twice",
        question: "Le montant a-t-il été débité deux fois\u00a0?",
        answer: [
          "Très probablement pas. Lorsqu’une tentative de paiement échoue ou est relancée, votre banque peut bloquer temporairement le montant. Ce blocage peut apparaître comme une opération en attente dans votre application bancaire, mais ce n’est pas un débit\u00a0: il disparaît de lui-même en quelques jours, généralement en 1 à 7 jours ouvrés selon votre banque.",
          "Payrail ne débite jamais deux fois le même paiement. Si vous réessayez après un problème, la nouvelle tentative reprend le même paiement au lieu d’en créer un nouveau.",
          "Si vous voyez deux débits définitifs, et pas seulement en attente, pour une seule commande, contactez la boutique en indiquant la référence de votre commande. La boutique peut vérifier les paiements et rembourser le doublon.",
        ],
      },
      {
        id: "refund-time",
        question: "Combien de temps prend un remboursement\u00a0?",
        answer: [
          "Les remboursements sont initiés par la boutique. Une fois le remboursement effectué par la boutique, l’argent est reversé sur le moyen de paiement utilisé pour l’achat.",
          "Pour un paiement par carte, le remboursement apparaît généralement sur votre relevé sous 5 à 10 jours ouvrés. Les portefeuilles comme Alipay, WeChat Pay et PayPal sont en général plus rapides. Les virements bancaires et iDEAL prennent habituellement quelques jours ouvrés.",
          "Si la boutique a confirmé votre remboursement et qu’il n’apparaît toujours pas passé ce délai, demandez-lui la date et le montant du remboursement, puis contactez votre banque avec ces informations.",
        ],
      },
      {
        id: "phishing",
        question: "Comment reconnaître une tentative d’hameçonnage\u00a0?",
        answer: [
          "La boutique et Payrail ne vous demanderont jamais votre numéro de carte, votre code PIN ou un code à usage unique par e-mail, SMS ou téléphone. Si quelqu’un vous les demande, ce n’est pas nous, même si le message paraît authentique.",
          "Avant de saisir vos informations de paiement, vérifiez la barre d’adresse\u00a0: elle doit afficher la page de paiement de la boutique, avec une connexion sécurisée (https). Ne suivez pas les liens contenus dans des messages inattendus\u00a0; rendez-vous vous-même sur le site de la boutique.",
          "Les codes à usage unique envoyés par votre banque servent uniquement à valider un paiement que vous êtes en train d’effectuer, sur une page que vous avez ouverte vous-même. Si vous recevez un code que vous n’avez pas demandé, ne le communiquez à personne.",
          "Si vous avez communiqué vos données de carte ou un code, appelez immédiatement votre banque au numéro figurant sur votre carte. Elle peut faire opposition sur la carte et vérifier s’il y a des paiements que vous n’avez pas effectués.",
        ],
      },
      {
        id: "security",
        question: "Comment cette page me protège-t-elle\u00a0?",
        answer: [
          "Vos données de carte sont saisies uniquement dans le formulaire de paiement sécurisé de cette page. Elles sont chiffrées pendant leur transmission et traitées par Payrail\u00a0; elles ne sont pas transmises à la boutique, qui ne voit donc jamais votre numéro de carte complet ni votre code de sécurité.",
          "Votre banque peut aussi vous demander de confirmer le paiement, par exemple dans son application ou avec un code à usage unique. Cette étape, appelée 3-D Secure, garantit que personne d’autre que vous ne peut payer avec votre carte.",
        ],
      },
    ],
  },

  es: {
    title: "Ayuda con el pago",
    intro:
      "Respuestas a preguntas frecuentes sobre el pago en esta página. Para consultas sobre el pedido en sí, como el envío o una devolución, comunícate con la tienda.",
    sections: [
      {
        id: "declined",
        question: "¿Por qué se rechazó mi pago?",
        answer: [
          "Tu banco o proveedor de pagos decide si aprueba cada pago. Los motivos de rechazo más comunes son: fondos o límite de crédito insuficientes, una tarjeta vencida, un código de seguridad incorrecto, la protección contra fraude del banco, que detiene un pago que no esperaba, o una tarjeta que no está habilitada para pagos en línea o en el extranjero.",
          "Comprueba que el número de tarjeta, la fecha de vencimiento y el código de seguridad coincidan con tu tarjeta y vuelve a intentarlo. También puedes usar otra tarjeta u otro método de pago.",
          "Si el pago se sigue rechazando, llama al número que aparece en el reverso de tu tarjeta. Tu banco puede decirte el motivo exacto y, si hay un bloqueo, levantarlo.",
        ],
      },
      {
        id: "charged-twice",
        question: "¿Me cobraron dos veces?",
        answer: [
          "Lo más probable es que no. Cuando un intento de pago falla o se reintenta, tu banco puede retener temporalmente el importe. Esa retención puede aparecer como un movimiento pendiente en la app de tu banco, pero no es un cobro: desaparece por sí sola en unos días, normalmente entre 1 y 7 días hábiles según el banco.",
          "Payrail nunca cobra dos veces el mismo pago. Si vuelves a intentarlo después de un problema, el reintento continúa el mismo pago en lugar de crear uno nuevo.",
          "Si ves dos cobros completados, y no solo pendientes, por un mismo pedido, comunícate con la tienda e indica la referencia de tu pedido. La tienda puede revisar los pagos y reembolsar el duplicado.",
        ],
      },
      {
        id: "refund-time",
        question: "¿Cuánto tarda un reembolso?",
        answer: [
          "Los reembolsos los inicia la tienda. Cuando la tienda emite el reembolso, el dinero vuelve al método de pago que usaste originalmente.",
          "En pagos con tarjeta, el reembolso suele tardar entre 5 y 10 días hábiles en aparecer en tu estado de cuenta. Las billeteras como Alipay, WeChat Pay y PayPal suelen ser más rápidas. Las transferencias bancarias e iDEAL suelen tardar unos días hábiles.",
          "Si la tienda confirmó tu reembolso y pasado ese plazo aún no lo ves, pídele a la tienda la fecha y el importe del reembolso y comunícate con tu banco con esos datos.",
        ],
      },
      {
        id: "phishing",
        question: "¿Cómo reconozco un intento de phishing?",
        answer: [
          "Ni la tienda ni Payrail te pedirán nunca el número de tu tarjeta, tu PIN ni un código de un solo uso por correo electrónico, SMS o teléfono. Si alguien te los pide, no somos nosotros, aunque el mensaje parezca auténtico.",
          "Antes de ingresar tus datos de pago, revisa la barra de direcciones: debe mostrar la página de pago de la tienda con una conexión segura (https). No sigas enlaces de mensajes que no esperabas; entra directamente al sitio web de la tienda.",
          "Los códigos de un solo uso de tu banco son solo para un pago que estás haciendo en ese momento, en una página que abriste tú. Si recibes un código que no pediste, no se lo des a nadie.",
          "Si compartiste los datos de tu tarjeta o un código, llama de inmediato a tu banco al número que figura en tu tarjeta. Tu banco puede bloquear la tarjeta y revisar si hay pagos que no hiciste.",
        ],
      },
      {
        id: "security",
        question: "¿Cómo me protege esta página?",
        answer: [
          "Los datos de tu tarjeta se ingresan solo en el formulario de pago seguro de esta página. Viajan cifrados y los procesa Payrail; no se envían a la tienda, que nunca ve el número completo de tu tarjeta ni el código de seguridad.",
          "Tu banco también puede pedirte que confirmes el pago, por ejemplo en su app o con un código de un solo uso. Este paso, llamado 3-D Secure, garantiza que nadie más que tú pueda pagar con tu tarjeta.",
        ],
      },
    ],
  },

  ar: {
    title: "المساعدة في الدفع",
    intro:
      "إجابات عن الأسئلة الشائعة حول الدفع في هذه الصفحة. للاستفسار عن الطلب نفسه، مثل التوصيل أو الإرجاع، تواصل مع المتجر.",
    sections: [
      {
        id: "declined",
        question: "لماذا رُفضت عملية الدفع؟",
        answer: [
          "يقرّر بنكك أو مزوّد خدمة الدفع لديك ما إذا كان سيوافق على كل عملية دفع. أكثر أسباب الرفض شيوعًا: عدم كفاية الرصيد أو الحد الائتماني، أو انتهاء صلاحية البطاقة، أو خطأ في رمز الأمان، أو إيقاف نظام الحماية من الاحتيال لدى البنك لعملية دفع غير معتادة، أو أن البطاقة غير مفعّلة للدفع عبر الإنترنت أو خارج البلاد.",
          "تحقّق من أن رقم البطاقة وتاريخ الانتهاء ورمز الأمان مطابقة لما على بطاقتك، ثم حاول مرة أخرى. يمكنك أيضًا استخدام بطاقة أخرى أو طريقة دفع أخرى.",
          "إذا استمر رفض الدفع، فاتصل بالرقم المدوّن على ظهر بطاقتك. يمكن لبنكك أن يخبرك بالسبب الدقيق، وأن يرفع الحظر إن وُجد.",
        ],
      },
      {
        id: "charged-twice",
        question: "هل خُصم المبلغ مني مرتين؟",
        answer: [
          "على الأرجح لا. عندما تفشل محاولة دفع أو تُعاد، قد يحجز بنكك المبلغ مؤقتًا. قد يظهر هذا الحجز كعملية معلّقة في تطبيق البنك، لكنه ليس خصمًا فعليًا، ويزول من تلقاء نفسه خلال أيام قليلة، عادةً خلال 1 إلى 7 أيام عمل حسب البنك.",
          "لا تخصم Payrail عملية الدفع نفسها مرتين أبدًا. إذا أعدت المحاولة بعد حدوث مشكلة، تُستكمل عملية الدفع نفسها بدلًا من إنشاء عملية جديدة.",
          "إذا رأيت خصمين مكتملين، لا معلّقين فقط، لطلب واحد، فتواصل مع المتجر وأعطه الرقم المرجعي لطلبك. يمكن للمتجر مراجعة عمليات الدفع ورد المبلغ المكرر إليك.",
        ],
      },
      {
        id: "refund-time",
        question: "كم يستغرق استرداد المبلغ؟",
        answer: [
          "المتجر هو من يبدأ عملية الاسترداد. بعد أن يُصدر المتجر الاسترداد، يعود المبلغ إلى طريقة الدفع نفسها التي استخدمتها في الأصل.",
          "في المدفوعات بالبطاقة، يستغرق ظهور المبلغ المسترد في كشف حسابك عادةً من 5 إلى 10 أيام عمل. أما المحافظ الإلكترونية مثل Alipay وWeChat Pay وPayPal فتكون عادةً أسرع، وتستغرق التحويلات المصرفية وiDEAL عادةً بضعة أيام عمل.",
          "إذا أكّد المتجر الاسترداد ولم يظهر المبلغ بعد هذه المدة، فاطلب من المتجر تاريخ الاسترداد ومبلغه، ثم تواصل مع بنكك بهذه المعلومات.",
        ],
      },
      {
        id: "phishing",
        question: "كيف أتعرّف على محاولات التصيّد الاحتيالي؟",
        answer: [
          "لن يطلب منك المتجر ولا Payrail أبدًا رقم بطاقتك أو رقمك السري (PIN) أو رمز تحقق لمرة واحدة عبر البريد الإلكتروني أو الرسائل النصية أو الهاتف. من يطلب منك ذلك ليس نحن، حتى لو بدت الرسالة حقيقية.",
          "قبل إدخال بيانات الدفع، تحقّق من شريط العنوان: يجب أن يعرض صفحة الدفع الخاصة بالمتجر عبر اتصال آمن (https). لا تفتح الروابط الواردة في رسائل لم تكن تتوقعها، بل ادخل إلى موقع المتجر بنفسك.",
          "رموز التحقق لمرة واحدة التي يرسلها بنكك مخصّصة فقط لعملية دفع تُجريها الآن بنفسك، في صفحة فتحتها أنت. إذا وصلك رمز لم تطلبه، فلا تشاركه مع أي أحد.",
          "إذا شاركت بيانات بطاقتك أو رمزًا، فاتصل ببنكك فورًا على الرقم المدوّن على بطاقتك. يمكن للبنك إيقاف البطاقة والتحقق من أي عمليات دفع لم تُجرها.",
        ],
      },
      {
        id: "security",
        question: "كيف تحميني هذه الصفحة؟",
        answer: [
          "تُدخَل بيانات بطاقتك فقط في نموذج الدفع الآمن في هذه الصفحة. تُرسَل هذه البيانات مشفّرة وتعالجها Payrail، ولا تُرسَل إلى المتجر، فلا يرى المتجر أبدًا رقم بطاقتك الكامل ولا رمز الأمان.",
          "قد يطلب منك بنكك أيضًا تأكيد الدفع، مثلًا عبر تطبيقه أو برمز تحقق لمرة واحدة. تضمن هذه الخطوة، المعروفة باسم 3-D Secure، ألا يتمكن أحد غيرك من الدفع ببطاقتك.",
        ],
      },
    ],
  },
};

/** The help page in a locale; English for a locale it does not know (the type cannot stop bad input). */
export function helpFor(locale: CheckoutLocale): HelpPage {
  return Object.hasOwn(HELP, locale) ? HELP[locale] : HELP.en;
}

/** The help page's title in a locale, for links and the page's <title>. */
export function helpTitleFor(locale: CheckoutLocale): string {
  return helpFor(locale).title;
}
