### نصوص واجهة قالب «campaign» باللغة العربية. المفاتيح وشرحها في
### themes/campaign/strings/en.ftl.
### صيغ الجمع العربية الست: zero (0)، one (1)، two (2)، few (3–10)، many (11–99)، other (100 فما فوق).

## كل الصفحات

skip-link = انتقل إلى المحتوى الرئيسي
preview-banner = نسخة معاينة: تظهر المسودات والقصص المجدولة.
draft = مسودة
draft-notice = لم تُنشر هذه الصفحة بعد.

## القائمة الرئيسية

nav-label = القائمة الرئيسية
nav-toggle = القائمة

## تذييل الصفحة

footer-coordinated-by = تنسّقها { $name }.
footer-contact = للتواصل:
footer-newsletter = تلقَّ أخبار الحملة عبر البريد الإلكتروني
footer-social-label = الحملة على منصات أخرى
footer-nav-label = تذييل الصفحة
footer-home = الرئيسية
footer-topics = المواضيع
footer-feed = موجز القصص (Atom)
footer-privacy = الخصوصية
footer-licence = ترخيص المحتوى: { $licence }.
footer-built-with = أُنشئ باستخدام { $generator }. بلا أدوات تتبّع ولا نصوص برمجية من جهات خارجية.

## الموجز

feed-title = { $site }: القصص
feed-title-tag = { $site }: { $tag }
feed-title-resolutions = { $site }: القرارات

## الصفحة الرئيسية

home-eyebrow = حملة عالمية
home-headline = لا ينبغي احتجاز أي طفل بسبب وضعه كمهاجر.
home-call = لا يكون احتجاز الأطفال لأسباب تتعلق بالهجرة في مصلحتهم الفضلى أبدًا. نعمل مع وكالات الأمم المتحدة والهيئات الإقليمية ومنظمات المجتمع المدني من أجل عالم يعيش فيه كل طفل متأثر بالهجرة حرًّا، مع أسرته وفي مجتمعه.
home-take-action = شارِك في العمل
home-read-call = اقرأ نداءنا
home-numbers = الحملة بالأرقام
home-stat-resolutions = قرارات ومعايير مُستشهَد بها
home-stat-stories = { $count ->
    [zero] قصص من الحملة
    [one] قصة من الحملة
    [two] قصتان من الحملة
    [few] قصص من الحملة
    [many] قصة من الحملة
   *[other] قصة من الحملة
}
home-featured = مختارات
home-latest = أحدث القصص
home-all-stories = { $count ->
    [zero] لا توجد قصص
    [one] القصة الوحيدة
    [two] القصتان كلتاهما
    [few] القصص الـ{ $count } كلها
    [many] كل القصص ({ $count } قصة)
   *[other] كل القصص ({ $count } قصة)
}
home-timeline = كيف تغيّرت المعايير
home-full-timeline = التسلسل الزمني الكامل
home-timeline-lede = منذ عام { $year }، انتقلت هيئات الأمم المتحدة وآليات حقوق الإنسان الإقليمية من التسامح مع احتجاز الأطفال المهاجرين إلى المطالبة بإنهائه.
home-cta-title = إنهاء احتجاز الأطفال أمر ممكن
home-cta-text = يمكن للمنظمات أن تؤيد الحملة، ويمكن للجميع مراسلة صانعي القرار والاشتراك في نشرة الأخبار ونشر النداء.
home-cta-button = اكتشف كيف يمكنك المساعدة

## قوائم القصص

stories-title = القصص
stories-page-of = الصفحة { $number } من { $total }
stories-lede = سجلّ مؤرَّخ لمحطات الحملة: كيف انتُزعت المعايير، وماذا عنت للأطفال.
stories-none = لم تُنشر أي قصة بعد.
stories-pages-label = صفحات القصص
stories-browse-label = تصفّح القصص
stories-follow = تابع الحملة
stories-so-far = { $count ->
    [zero] لا توجد قصص حتى الآن. تابع الجديد في قارئ الموجزات عبر { $feed }.
    [one] قصة واحدة حتى الآن. تابع الجديد في قارئ الموجزات عبر { $feed }.
    [two] قصتان حتى الآن. تابع الجديد في قارئ الموجزات عبر { $feed }.
    [few] { $count } قصص حتى الآن. تابع الجديد في قارئ الموجزات عبر { $feed }.
    [many] { $count } قصة حتى الآن. تابع الجديد في قارئ الموجزات عبر { $feed }.
   *[other] { $count } قصة حتى الآن. تابع الجديد في قارئ الموجزات عبر { $feed }.
}
feed-link = موجز Atom
topics = المواضيع
topics-none = لا توجد مواضيع بعد.
topics-lede = تُصنَّف كل قصة تحت موضوع واحد أو أكثر. اختر موضوعًا لتقرأ قصصه معًا.
topic-count = { $count ->
    [zero] لا قصص
    [one] قصة واحدة
    [two] قصتان
    [few] { $count } قصص
    [many] { $count } قصة
   *[other] { $count } قصة
}
topic-lede = { $count ->
    [zero] لا توجد قصص في هذا الموضوع.
    [one] قصة واحدة في هذا الموضوع.
    [two] قصتان في هذا الموضوع.
    [few] { $count } قصص في هذا الموضوع.
    [many] { $count } قصة في هذا الموضوع.
   *[other] { $count } قصة في هذا الموضوع.
}
topic-pages-label = صفحات هذا الموضوع
topics-all = كل المواضيع

## التنقل بين الصفحات

pagination-newer = الأحدث
pagination-older = الأقدم
pagination-page = الصفحة

## القصة

# The word above a story's title on its share card (the picture social networks show).
card-story = قصة
story-by = بقلم { $author }
story-reading-time = { $minutes ->
    [zero] قراءة في أقل من دقيقة
    [one] قراءة في دقيقة واحدة
    [two] قراءة في دقيقتين
    [few] قراءة في { $minutes } دقائق
    [many] قراءة في { $minutes } دقيقة
   *[other] قراءة في { $minutes } دقيقة
}
story-aside-label = عن هذه القصة
story-cited = المعايير المُستشهَد بها
story-partners = الشركاء المعنيون
story-share = شارك هذه القصة
share-email = البريد الإلكتروني
story-link = رابط هذه القصة
copy-link = انسخ الرابط
copy-done = نُسخ الرابط.
copy-by-hand = اضغط Ctrl+C (أو Cmd+C) لنسخ الرابط المحدَّد.
story-more-label = مزيد من القصص
story-older = القصة السابقة
story-newer = القصة التالية

## القرارات

resolutions-lede = معايير الأمم المتحدة والمعايير الإقليمية التي تعمل بها الحملة، من أولى الدعوات إلى بدائل الاحتجاز إلى القاعدة القائلة بأن احتجاز الأطفال لأسباب تتعلق بالهجرة لا يكون أبدًا في مصلحتهم الفضلى.
resolutions-count = { $documents ->
    [zero] لا وثائق
    [one] وثيقة واحدة
    [two] وثيقتان
    [few] { $documents } وثائق
    [many] { $documents } وثيقة
   *[other] { $documents } وثيقة
} صادرة عن { $bodies ->
    [zero] لا هيئات
    [one] هيئة واحدة
    [two] هيئتين
    [few] { $bodies } هيئات
    [many] { $bodies } هيئة
   *[other] { $bodies } هيئة
}
filter-by-body = اعتمدتها أو أصدرتها
filter-all-bodies = كل الهيئات
filter-kind = نوع الوثيقة
filter-all-types = كل الأنواع
filter-stance = بشأن احتجاز الأطفال
filter-any-stance = أي موقف
filter-show-all = اعرض الكل
filter-no-documents = لا توجد وثائق تطابق عوامل التصفية هذه.
filter-show-all-documents = اعرض كل الوثائق
filter-showing-one-document = تُعرض وثيقة واحدة.
filter-showing-all-documents = تُعرض كل الوثائق ({ $all }).
filter-showing-documents = تُعرض { $shown } من أصل { $all } وثيقة.
resolutions-all = القرارات والمعايير
resolution-full-title = العنوان الكامل:
resolution-symbol = الرمز
resolution-issued-by = أصدرتها
resolution-adopted-by = اعتمدتها
resolution-document-date = تاريخ الوثيقة
resolution-adopted = تاريخ الاعتماد
resolution-type = النوع
resolution-stance = بشأن احتجاز الأطفال
resolution-official-text = اقرأ النص الرسمي
resolution-key-paragraphs = الفقرات الرئيسية
resolution-summaries-note = ملخصات بكلماتنا؛ والمرجع هو النص الرسمي.
paragraph-summary = ملخصنا للفقرة { $number }
resolution-why = لماذا تهمّ
resolution-related-label = ذو صلة
resolution-cited-by = قصص تستشهد بها
resolution-cited-by-none = لا توجد قصة تستشهد بهذه الوثيقة بعد.
resolutions-back = كل القرارات والمعايير

## الشركاء

partners-title = الشركاء
partners-lede = منظمات غير حكومية وشبكات ووكالات تابعة للأمم المتحدة وهيئات إقليمية تعمل مع الحملة لإنهاء احتجاز الأطفال لأسباب تتعلق بالهجرة؛ وتليها الهيئات المستقلة التي تستشهد الحملة بمعاييرها.
partners-count = { $count ->
    [zero] لا توجد منظمات مدرجة هنا.
    [one] منظمة واحدة مدرجة هنا.
    [two] منظمتان مدرجتان هنا.
    [few] { $count } منظمات مدرجة هنا.
    [many] { $count } منظمة مدرجة هنا.
   *[other] { $count } منظمة مدرجة هنا.
}
partners-where = أين مقار الشركاء
map-title = خريطة العالم لمقار الشركاء
map-description = البلدان التي تقع فيها مقار الشركاء المدرجين: { $countries }.
map-caption = بلدان مقار الشركاء ملوّنة. الخريطة: Natural Earth.
partners-by-country = حسب البلد
partners-by-region = حسب المنطقة
partners-filter-label = تصفية الشركاء
filter-name = ابحث بالاسم
filter-name-example = مثلًا UNICEF
filter-region = المنطقة
filter-all-regions = كل المناطق
filter-type = النوع
filter-clear = امسح
filter-no-partners = لا توجد منظمات مطابقة.
filter-clear-all = امسح عوامل التصفية
filter-showing-one-partner = تُعرض منظمة واحدة.
filter-showing-all-partners = تُعرض كل المنظمات ({ $all }).
filter-showing-partners = تُعرض { $shown } من أصل { $all } منظمة.
partners-cited-title = هيئات تستشهد الحملة بمعاييرها
partners-cited-lede = آليات مستقلة تابعة للأمم المتحدة وإقليمية. تدعم تقاريرها وقراراتها نداء الحملة، لكنها ليست من أعضائها.
partner-default-text = { $name } شريك في الحملة. انظر { $all }.
partner-all-link = كل الشركاء
partner-mentions = قصص تذكر { $name }
partner-details-label = التفاصيل
partner-at-a-glance = لمحة سريعة
partner-type = النوع
partner-region = المنطقة
partner-based-in = المقر
partner-since = في الحملة منذ
partner-website = الموقع الإلكتروني
partner-role = الدور في الحملة
partners-back = كل الشركاء

## الصفحات

toc-title = في هذه الصفحة

## الصفحة غير موجودة

notfound-eyebrow = خطأ 404
notfound-title = لم نجد هذه الصفحة
notfound-lede = ربما كُتب العنوان خطأً، أو ربما نُقلت الصفحة عند إعادة تنظيم الموقع.
notfound-home = انتقل إلى الصفحة الرئيسية
notfound-stories = اقرأ أحدث القصص
notfound-try = أو جرّب إحدى هذه الصفحات
notfound-resolutions = القرارات والمعايير
notfound-resolutions-text = التسلسل الزمني لمعايير الأمم المتحدة والمعايير الإقليمية بشأن احتجاز الأطفال المهاجرين
notfound-partners = الشركاء
notfound-partners-text = المنظمات التي تعمل معًا في الحملة
notfound-action = شارِك في العمل
notfound-action-text = كيف يمكنك أنت ومنظمتك المساعدة

## العناصر المضمَّنة

cite-label = معيار مُستشهَد به: { $title }
cite-paragraph = ملخصنا للفقرة { $number }:
partner-label = شريك: { $name }
video-play = شغّل الفيديو: { $title }
video-note = لا يُحمَّل الفيديو من موقعه إلا عند تشغيله.
form-mailto-intro = يفتح هذا برنامج البريد لديك برسالة إلى { $email }. املأ السطور ثم أرسلها.
form-your-message = رسالتك
form-open-email = افتح في برنامج البريد لديّ
form-required = (مطلوب)
form-optional = (اختياري)
form-honeypot = اترك هذا الحقل فارغًا
form-send = أرسل
form-privacy-link = كيف تُعالَج بياناتك
letter-title = راسِل صانع قرار
letter-to = إلى: { $to }
letter-their-email = عنوان بريده الإلكتروني
letter-subject = الموضوع
letter-body = رسالتك: عدّلها كما تشاء
letter-privacy = يرسل برنامج البريد لديك الرسالة بنفسه؛ ولا يصل شيء إلى هذا الموقع. يمكنك أيضًا نسخ النص إلى أي رسالة.
share-title = شارك

## تسميات المفردات الثابتة (أنواع الوثائق، والمواقف، وأنواع الشركاء، والمناطق، والأدوار)؛
## المفتاح هو البادئة وقيمة الحقل في الترويسة.

kind-resolution = قرار
kind-declaration = إعلان
kind-general-comment = تعليق عام
kind-advisory-opinion = فتوى
kind-report = تقرير
kind-day-of-general-discussion = يوم المناقشة العامة
kind-compact = اتفاق عالمي
kind-guidelines = مبادئ توجيهية
kind-other = غير ذلك
stance-prohibits = يستبعد احتجاز الأطفال
stance-last-resort = يجيزه كملاذ أخير
stance-alternatives = يشجّع بدائل الاحتجاز
partner-type-ngo = المنظمات غير الحكومية
partner-type-ngo-one = منظمة غير حكومية
partner-type-network = الشبكات والتحالفات
partner-type-network-one = شبكة أو تحالف
partner-type-un-agency = وكالات الأمم المتحدة
partner-type-un-agency-one = وكالة تابعة للأمم المتحدة
partner-type-un-mechanism = آليات الأمم المتحدة لحقوق الإنسان
partner-type-un-mechanism-one = آلية من آليات الأمم المتحدة لحقوق الإنسان
partner-type-igo = المنظمات الحكومية الدولية
partner-type-igo-one = منظمة حكومية دولية
partner-type-regional-body = الهيئات الإقليمية
partner-type-regional-body-one = هيئة إقليمية
partner-type-other = منظمات أخرى
partner-type-other-one = منظمة
region-global = عالمي
region-africa = أفريقيا
region-americas = الأمريكتان
region-asia-pacific = آسيا والمحيط الهادئ
region-europe = أوروبا
region-middle-east-north-africa = الشرق الأوسط وشمال أفريقيا
role-campaign-coordinator = تنسيق الحملة
role-working-group-chair = رئاسة الفريق العامل المشترك بين الوكالات
role-working-group-member = عضو في الفريق العامل المشترك بين الوكالات
role-campaign-supporter = داعم للحملة
role-un-standard-setter = هيئة تابعة للأمم المتحدة تضع المعايير
role-regional-standard-setter = هيئة إقليمية تضع المعايير

## مواضيع موقع الحملة (tag-<id>: اسم كل موضوع)

tag-alternatives-to-detention = بدائل الاحتجاز
tag-americas = الأمريكتان
tag-campaign = الحملة
tag-crc = لجنة حقوق الطفل
tag-europe = أوروبا
tag-general-assembly = الجمعية العامة للأمم المتحدة
tag-human-rights-council = مجلس حقوق الإنسان
tag-regional = المعايير الإقليمية
tag-take-action = العمل من أجل التغيير
tag-un-standards = معايير الأمم المتحدة
tag-working-group = الفريق العامل المشترك بين الوكالات

# عناوين الصفحات التي ينشئها rally (علامة تبويب المتصفح وعناوين القوائم).
tags-title = المواضيع
notfound-page-title = الصفحة غير موجودة
stories-page-word = الصفحة
stories-on = قصص عن

## Search (search.html, the header's search box, js/search.js)

search-title = البحث
search-label = ابحث في الموقع
search-button = بحث
search-kind-page = صفحة
search-hint = اكتب رمز قرار (A/RES/69/187) أو اسم منظمة (UNHCR) أو أي كلمات.
search-results = نتائج البحث عن «{ $query }»: { $count }
search-none = لم يُعثر على نتائج لـ«{ $query }». جرّب كلمات أخرى أو أقل، أو تصفّح الأقسام أدناه.
search-loading = جارٍ تحميل البحث…
search-failed = تعذّر تحميل البحث. كل محتوى الموقع مدرج في أقسامه:
search-more = عرض مزيد من النتائج
search-nojs = يحتاج البحث إلى JavaScript، وهو معطّل في هذا المتصفح. كل محتوى الموقع مدرج في أقسامه:

## الصفحة التي تبقى في العنوان القديم لمادة (`aliases:`).
redirect-title = نُقلت هذه الصفحة
redirect-notice = هذه الصفحة موجودة الآن على العنوان
