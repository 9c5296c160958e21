/*
 * The emergency card's texts and the opening hours' words, in the six reporting languages: the card
 * is for everyone who needs it, in their language. The directory's management stays German and English.
 */

const de = {
  hours: {
    title: "Erreichbarkeit",
    alwaysOpen: "Rund um die Uhr erreichbar (24/7)",
    alwaysOpenShort: "24/7",
    openNow: "Jetzt erreichbar",
    closedNow: "Jetzt geschlossen",
    unknown: "Zeiten unbekannt",
  },
  card: {
    title: "Notfallkarte {{tenant}}",
    lead: "Was jetzt zu tun ist und wer hilft – nach einer Bedrohung, einem Angriff oder Hass im Netz.",
    language: "Sprache",
    danger: {
      title: "In akuter Gefahr: sofort anrufen",
      text: "Wenn Sie oder andere jetzt bedroht oder angegriffen werden, rufen Sie den Notruf. Bringen Sie sich zuerst in Sicherheit.",
      police: "Polizei",
      rescue: "Feuerwehr und Rettungsdienst",
    },
    threat: {
      title: "Nach einer Bedrohung oder einem Angriff",
      step1: "Schreiben Sie auf, was geschehen ist: wann, wo, wer, was gesagt oder getan wurde.",
      step2: "Heben Sie Briefe, Nachrichten und Bilder auf. Löschen Sie nichts.",
      step3: "Sie müssen das nicht allein tragen: Wenden Sie sich an eine der Stellen hier.",
    },
    online: {
      title: "Hass im Netz",
      step1: "Sichern Sie Beweise, bevor Sie melden oder löschen: Bildschirmfoto mit Datum, Uhrzeit und Internetadresse.",
      step2: "Melden Sie den Inhalt bei der Plattform und zeigen Sie ihn an.",
      step3: "Antworten Sie nicht allein – holen Sie sich Unterstützung.",
    },
    support: {
      title: "Beratung und Unterstützung",
      text: "Diese Stellen beraten vertraulich und kostenlos, auch wenn Sie keine Anzeige erstatten wollen.",
    },
    report: {
      title: "Vorfall melden",
      text: "Melden Sie den Vorfall der Meldestelle von {{tenant}} – mit Namen, vertraulich oder anonym.",
      link: "Zum Meldeformular",
      qr: "QR-Code zum Meldeformular von {{tenant}}",
    },
    noContacts: "Für diesen Fall ist noch keine Stelle eingetragen. Die Meldestelle hilft weiter.",
    languages: "Sprachen",
    vcard: "Kontakte im Telefon speichern (vCard)",
    pdf: "Karte als PDF herunterladen",
    asOf: "Stand: {{date}}",
    print: "Zum Ausdrucken: Die Karte passt auf eine A4-Seite.",
    whoHelps: "Wer jetzt hilft",
    fullCard: "Die ganze Notfallkarte",
  },
};

type CardStrings = typeof de;

const en: CardStrings = {
  hours: {
    title: "When to reach them",
    alwaysOpen: "Available around the clock (24/7)",
    alwaysOpenShort: "24/7",
    openNow: "Open now",
    closedNow: "Closed now",
    unknown: "Hours not known",
  },
  card: {
    title: "Emergency card {{tenant}}",
    lead: "What to do now and who helps – after a threat, an attack or hate online.",
    language: "Language",
    danger: {
      title: "In immediate danger: call now",
      text: "If you or others are being threatened or attacked right now, call the emergency number. Get yourself to safety first.",
      police: "Police",
      rescue: "Fire brigade and ambulance",
    },
    threat: {
      title: "After a threat or an attack",
      step1: "Write down what happened: when, where, who, what was said or done.",
      step2: "Keep letters, messages and pictures. Do not delete anything.",
      step3: "You do not have to carry this alone: contact one of the services here.",
    },
    online: {
      title: "Hate online",
      step1: "Preserve evidence before you report or delete: a screenshot with date, time and web address.",
      step2: "Report the content to the platform and to the police.",
      step3: "Do not answer alone – get support.",
    },
    support: {
      title: "Counselling and support",
      text: "These services advise confidentially and free of charge, even if you do not want to press charges.",
    },
    report: {
      title: "Report an incident",
      text: "Report the incident to the reporting office of {{tenant}} – with your name, confidentially or anonymously.",
      link: "Go to the reporting form",
      qr: "QR code for the reporting form of {{tenant}}",
    },
    noContacts: "No service is listed for this yet. The reporting office will help.",
    languages: "Languages",
    vcard: "Save the contacts to my phone (vCard)",
    pdf: "Download the card as a PDF",
    asOf: "As of {{date}}",
    print: "To print: the card fits on one A4 page.",
    whoHelps: "Who helps now",
    fullCard: "The whole emergency card",
  },
};

const tr: CardStrings = {
  hours: {
    title: "Ulaşılabilirlik",
    alwaysOpen: "Günün her saati ulaşılabilir (7/24)",
    alwaysOpenShort: "7/24",
    openNow: "Şu anda açık",
    closedNow: "Şu anda kapalı",
    unknown: "Saatler bilinmiyor",
  },
  card: {
    title: "Acil durum kartı {{tenant}}",
    lead: "Şimdi ne yapmalı ve kim yardım eder – bir tehdit, saldırı ya da internette nefretten sonra.",
    language: "Dil",
    danger: {
      title: "Acil tehlikede: hemen arayın",
      text: "Siz ya da başkaları şu anda tehdit ediliyor veya saldırıya uğruyorsanız acil numarayı arayın. Önce kendinizi güvenceye alın.",
      police: "Polis",
      rescue: "İtfaiye ve ambulans",
    },
    threat: {
      title: "Bir tehdit ya da saldırıdan sonra",
      step1: "Ne olduğunu yazın: ne zaman, nerede, kim, ne söylendi ya da yapıldı.",
      step2: "Mektupları, mesajları ve resimleri saklayın. Hiçbir şeyi silmeyin.",
      step3: "Bununla tek başınıza baş etmek zorunda değilsiniz: buradaki birimlerden birine başvurun.",
    },
    online: {
      title: "İnternette nefret",
      step1: "Bildirmeden ya da silmeden önce kanıtları saklayın: tarih, saat ve internet adresiyle ekran görüntüsü.",
      step2: "İçeriği platforma bildirin ve polise şikâyette bulunun.",
      step3: "Tek başınıza cevap vermeyin – destek alın.",
    },
    support: {
      title: "Danışmanlık ve destek",
      text: "Bu birimler, şikâyette bulunmak istemeseniz de gizli ve ücretsiz danışmanlık verir.",
    },
    report: {
      title: "Olayı bildirin",
      text: "Olayı {{tenant}} bildirim birimine bildirin – adınızla, gizli ya da anonim olarak.",
      link: "Bildirim formuna git",
      qr: "{{tenant}} bildirim formu için QR kodu",
    },
    noContacts: "Bu durum için henüz bir birim kayıtlı değil. Bildirim birimi yardımcı olur.",
    languages: "Diller",
    vcard: "Kişileri telefonuma kaydet (vCard)",
    pdf: "Kartı PDF olarak indir",
    asOf: "Tarih: {{date}}",
    print: "Yazdırmak için: kart tek bir A4 sayfasına sığar.",
    whoHelps: "Şimdi kim yardım eder",
    fullCard: "Acil durum kartının tamamı",
  },
};

const ar: CardStrings = {
  hours: {
    title: "أوقات التواصل",
    alwaysOpen: "متاح على مدار الساعة (24/7)",
    alwaysOpenShort: "24/7",
    openNow: "متاح الآن",
    closedNow: "مغلق الآن",
    unknown: "الأوقات غير معروفة",
  },
  card: {
    title: "بطاقة الطوارئ {{tenant}}",
    lead: "ما الذي يجب فعله الآن ومن يساعد – بعد تهديد أو اعتداء أو كراهية على الإنترنت.",
    language: "اللغة",
    danger: {
      title: "في الخطر الداهم: اتصل فورًا",
      text: "إذا كنت أنت أو غيرك تتعرضون الآن للتهديد أو الاعتداء، فاتصل برقم الطوارئ. انتقل أولًا إلى مكان آمن.",
      police: "الشرطة",
      rescue: "الإطفاء والإسعاف",
    },
    threat: {
      title: "بعد تهديد أو اعتداء",
      step1: "اكتب ما حدث: متى وأين ومن وما الذي قيل أو فُعل.",
      step2: "احتفظ بالرسائل والصور. لا تحذف شيئًا.",
      step3: "لست مضطرًا لتحمّل ذلك وحدك: تواصل مع إحدى الجهات المذكورة هنا.",
    },
    online: {
      title: "الكراهية على الإنترنت",
      step1: "احفظ الأدلة قبل الإبلاغ أو الحذف: لقطة شاشة مع التاريخ والوقت وعنوان الصفحة.",
      step2: "أبلغ المنصة عن المحتوى وقدّم بلاغًا إلى الشرطة.",
      step3: "لا تردّ وحدك – اطلب الدعم.",
    },
    support: {
      title: "الاستشارة والدعم",
      text: "تقدّم هذه الجهات استشارة سرية ومجانية، حتى إن لم ترغب في تقديم بلاغ.",
    },
    report: {
      title: "الإبلاغ عن حادثة",
      text: "أبلغ مكتب البلاغات في {{tenant}} عن الحادثة – باسمك أو بسرية أو دون الكشف عن هويتك.",
      link: "إلى نموذج البلاغ",
      qr: "رمز QR لنموذج البلاغ في {{tenant}}",
    },
    noContacts: "لم تُسجَّل بعد أي جهة لهذه الحالة. مكتب البلاغات يساعدك.",
    languages: "اللغات",
    vcard: "حفظ جهات الاتصال في هاتفي (vCard)",
    pdf: "تنزيل البطاقة بصيغة PDF",
    asOf: "آخر تحديث: {{date}}",
    print: "للطباعة: تتسع البطاقة لصفحة A4 واحدة.",
    whoHelps: "من يساعد الآن",
    fullCard: "بطاقة الطوارئ كاملة",
  },
};

const uk: CardStrings = {
  hours: {
    title: "Коли можна звернутися",
    alwaysOpen: "Доступно цілодобово (24/7)",
    alwaysOpenShort: "24/7",
    openNow: "Зараз працює",
    closedNow: "Зараз зачинено",
    unknown: "Години невідомі",
  },
  card: {
    title: "Екстрена картка {{tenant}}",
    lead: "Що робити зараз і хто допоможе – після погрози, нападу чи ненависті в інтернеті.",
    language: "Мова",
    danger: {
      title: "У гострій небезпеці: телефонуйте негайно",
      text: "Якщо вам або іншим зараз погрожують чи на вас нападають, телефонуйте на екстрений номер. Спершу подбайте про свою безпеку.",
      police: "Поліція",
      rescue: "Пожежна служба та швидка допомога",
    },
    threat: {
      title: "Після погрози або нападу",
      step1: "Запишіть, що сталося: коли, де, хто, що було сказано чи зроблено.",
      step2: "Збережіть листи, повідомлення та зображення. Нічого не видаляйте.",
      step3: "Вам не потрібно нести це самотужки: зверніться до однієї зі служб тут.",
    },
    online: {
      title: "Ненависть в інтернеті",
      step1: "Збережіть докази, перш ніж повідомляти чи видаляти: знімок екрана з датою, часом та інтернет-адресою.",
      step2: "Повідомте про вміст платформі та поліції.",
      step3: "Не відповідайте самотужки – знайдіть підтримку.",
    },
    support: {
      title: "Консультації та підтримка",
      text: "Ці служби консультують конфіденційно та безкоштовно, навіть якщо ви не хочете подавати заяву.",
    },
    report: {
      title: "Повідомити про інцидент",
      text: "Повідомте про інцидент до служби повідомлень {{tenant}} – з іменем, конфіденційно або анонімно.",
      link: "До форми повідомлення",
      qr: "QR-код форми повідомлення {{tenant}}",
    },
    noContacts: "Для цього випадку ще не внесено жодної служби. Служба повідомлень допоможе.",
    languages: "Мови",
    vcard: "Зберегти контакти в телефоні (vCard)",
    pdf: "Завантажити картку у форматі PDF",
    asOf: "Станом на {{date}}",
    print: "Для друку: картка вміщується на одну сторінку A4.",
    whoHelps: "Хто допоможе зараз",
    fullCard: "Уся екстрена картка",
  },
};

const ru: CardStrings = {
  hours: {
    title: "Когда можно обратиться",
    alwaysOpen: "Доступно круглосуточно (24/7)",
    alwaysOpenShort: "24/7",
    openNow: "Сейчас открыто",
    closedNow: "Сейчас закрыто",
    unknown: "Часы неизвестны",
  },
  card: {
    title: "Экстренная карточка {{tenant}}",
    lead: "Что делать сейчас и кто поможет – после угрозы, нападения или ненависти в интернете.",
    language: "Язык",
    danger: {
      title: "При острой опасности: звоните немедленно",
      text: "Если вам или другим сейчас угрожают или на вас нападают, звоните на номер экстренной помощи. Сначала позаботьтесь о своей безопасности.",
      police: "Полиция",
      rescue: "Пожарная служба и скорая помощь",
    },
    threat: {
      title: "После угрозы или нападения",
      step1: "Запишите, что произошло: когда, где, кто, что было сказано или сделано.",
      step2: "Сохраните письма, сообщения и изображения. Ничего не удаляйте.",
      step3: "Вам не нужно справляться с этим в одиночку: обратитесь в одну из служб здесь.",
    },
    online: {
      title: "Ненависть в интернете",
      step1: "Сохраните доказательства, прежде чем сообщать или удалять: снимок экрана с датой, временем и интернет-адресом.",
      step2: "Сообщите о содержимом платформе и в полицию.",
      step3: "Не отвечайте в одиночку – найдите поддержку.",
    },
    support: {
      title: "Консультации и поддержка",
      text: "Эти службы консультируют конфиденциально и бесплатно, даже если вы не хотите подавать заявление.",
    },
    report: {
      title: "Сообщить об инциденте",
      text: "Сообщите об инциденте в службу сообщений {{tenant}} – с именем, конфиденциально или анонимно.",
      link: "К форме сообщения",
      qr: "QR-код формы сообщения {{tenant}}",
    },
    noContacts: "Для этого случая пока не внесена ни одна служба. Служба сообщений поможет.",
    languages: "Языки",
    vcard: "Сохранить контакты в телефоне (vCard)",
    pdf: "Скачать карточку в формате PDF",
    asOf: "По состоянию на {{date}}",
    print: "Для печати: карточка помещается на одну страницу A4.",
    whoHelps: "Кто поможет сейчас",
    fullCard: "Вся экстренная карточка",
  },
};

export const cardStrings = { de, en, tr, ar, uk, ru } as const;
