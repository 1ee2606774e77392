### The campaign theme's interface strings, in English: the words of the templates (site data
### such as titles and menu names comes from site.yaml and content/, not from here).
###
### Templates print a string without arguments as {{ UI.read_more }} (the key with `-`
### written `_`) and one with arguments as {{ t(key="stories-count", count=3) }}.
### A site changes single strings with its own strings/en.ftl beside site.yaml.
### Strings are plain text: HTML in them is shown as written. See docs/templates.md.

## Every page (base.html)

skip-link = Skip to main content
preview-banner = Preview build: drafts and future stories are shown.
draft = Draft
draft-notice = This page is not published yet.

## Main menu (partials/nav.html)

nav-label = Main
nav-toggle = Menu

## Footer (partials/footer.html)

# $name: the coordinating organisation, as a link.
footer-coordinated-by = Coordinated by { $name }.
# Followed by the address, as a link.
footer-contact = Contact:
footer-newsletter = Get campaign updates by email
footer-social-label = The campaign elsewhere
footer-nav-label = Footer
footer-home = Home
footer-topics = Topics
footer-feed = Stories feed (Atom)
footer-privacy = Privacy
# $licence: the licence's name, as a link.
footer-licence = Content licence: { $licence }.
# $generator: "rally" and its version.
footer-built-with = Built with { $generator }. No trackers, no third-party scripts.

## Feeds (atom.xml, feed.json, tag-atom.xml, tag-feed.json, resolutions-atom.xml, resolutions-feed.json, and their links in the head)

# $site: the site's title.
feed-title = { $site }: stories
# $tag: the tag's name.
feed-title-tag = { $site }: { $tag }
feed-title-resolutions = { $site }: resolutions

## Home page (index.html)

home-eyebrow = A global campaign
home-headline = No child should be locked up because of their migration status.
home-call = Immigration detention is never in a child’s best interests. Together with UN agencies, regional bodies and civil-society organisations, we are working for a world where every child affected by migration lives free, with their family and in the community.
home-take-action = Take action
home-read-call = Read our call
home-numbers = The campaign in numbers
home-stat-resolutions = resolutions & standards referenced
# After the number of stories, shown large.
home-stat-stories = { $count ->
    [one] story from the campaign
   *[other] stories from the campaign
}
home-featured = Featured
home-latest = Latest stories
home-all-stories = { $count ->
    [one] All { $count } story
   *[other] All { $count } stories
}
home-timeline = How the standards have changed
home-full-timeline = The full timeline
# $year: the year of the oldest document.
home-timeline-lede = Since { $year }, UN bodies and regional human rights mechanisms have moved from tolerating child immigration detention to calling for its end.
home-cta-title = Ending child detention is achievable
home-cta-text = Organisations can endorse the campaign; everyone can write to a decision-maker, sign up for updates and share the call.
home-cta-button = See how you can help

## Lists of stories (stories.html, tag.html, tags.html, partials/topics.html)

stories-title = Stories
# $number: this page; $total: how many pages.
stories-page-of = Page { $number } of { $total }
stories-lede = A dated record of the campaign's milestones: how the standards were won, and what they meant for children.
stories-none = No stories have been published yet.
stories-pages-label = Pages of stories
stories-browse-label = Browse stories
stories-follow = Follow the campaign
# $feed: a link to the Atom feed, whose text is feed-link.
stories-so-far = { $count ->
    [one] { $count } story so far. Get new ones in your feed reader with the { $feed }.
   *[other] { $count } stories so far. Get new ones in your feed reader with the { $feed }.
}
feed-link = Atom feed
topics = Topics
topics-none = No topics yet.
topics-lede = Every story is filed under one or more topics. Pick one to read the stories together.
topic-count = { $count ->
    [one] { $count } story
   *[other] { $count } stories
}
topic-lede = { $count ->
    [one] { $count } story on this topic.
   *[other] { $count } stories on this topic.
}
topic-pages-label = Pages of this topic
topics-all = All topics

## Pagination (components.html)

pagination-newer = Newer
pagination-older = Older
# Read by screen readers before each page number.
pagination-page = Page

## A story (story.html)

# $author: the author's name.
# The word above a story's title on its share card (the picture social networks show).
card-story = Story
story-by = By { $author }
story-reading-time = { $minutes ->
    [one] { $minutes } min read
   *[other] { $minutes } min read
}
story-aside-label = About this story
story-cited = Standards cited
story-partners = Partners involved
story-share = Share this story
share-email = Email
story-link = Link to this story
copy-link = Copy link
copy-done = Link copied.
copy-by-hand = Press Ctrl+C (or Cmd+C) to copy the selected link.
story-more-label = More stories
story-older = Older story
story-newer = Newer story

## Resolutions (resolutions.html, resolution.html)

resolutions-lede = The UN and regional standards that the campaign works with, from the first calls for alternatives to the rule that immigration detention is never in a child’s best interests.
# $documents: how many documents; $bodies: how many bodies adopted or issued them.
resolutions-count = { $documents ->
    [one] { $documents } document
   *[other] { $documents } documents
} from { $bodies ->
    [one] { $bodies } body
   *[other] { $bodies } bodies
}
filter-by-body = Adopted or issued by
filter-all-bodies = All bodies
filter-kind = Type of document
filter-all-types = All types
filter-stance = On detaining children
filter-any-stance = Any position
filter-show-all = Show all
filter-no-documents = No documents match these filters.
filter-show-all-documents = Show all documents
# The filter script's count line, for documents: $shown of $all.
filter-showing-one-document = Showing 1 document.
filter-showing-all-documents = Showing all { $all } documents.
filter-showing-documents = Showing { $shown } of { $all } documents.
resolutions-all = Resolutions and standards
resolution-full-title = Full title:
resolution-symbol = Symbol
resolution-issued-by = Issued by
resolution-adopted-by = Adopted by
resolution-document-date = Document date
resolution-adopted = Adopted
resolution-type = Type
resolution-stance = On detaining children
resolution-official-text = Read the official text
resolution-key-paragraphs = Key paragraphs
resolution-summaries-note = Summaries in our own words; the official text is the reference.
# $number: the paragraph's number.
paragraph-summary = Our summary of ¶ { $number }
resolution-why = Why it matters
resolution-related-label = Related
resolution-cited-by = Stories that cite it
resolution-cited-by-none = No story cites this document yet.
resolutions-back = All resolutions and standards

## Partners (partners.html, partner.html)

partners-title = Partners
partners-lede = Non-governmental organisations, networks, UN agencies and regional bodies working with the campaign to end the immigration detention of children; below them, the independent bodies whose standards it cites.
partners-count = { $count ->
    [one] { $count } organisation is listed here.
   *[other] { $count } organisations are listed here.
}
partners-where = Where partners are based
map-title = World map of partners' headquarters
# $countries: the list of countries with their number of partners.
map-description = Countries where the listed partners are based: { $countries }.
map-caption = Countries of the partners' headquarters, in colour. Map: Natural Earth.
partners-by-country = By country
partners-by-region = By region
partners-filter-label = Filter partners
filter-name = Search by name
filter-name-example = e.g. UNICEF
filter-region = Region
filter-all-regions = All regions
filter-type = Type
filter-clear = Clear
filter-no-partners = No organisations match.
filter-clear-all = Clear the filters
filter-showing-one-partner = Showing 1 organisation.
filter-showing-all-partners = Showing all { $all } organisations.
filter-showing-partners = Showing { $shown } of { $all } organisations.
partners-cited-title = Bodies whose standards the campaign cites
partners-cited-lede = Independent UN and regional mechanisms. Their reports and decisions back the campaign's call; they are not its members.
# $name: the partner's name; $all: a link whose text is partner-all-link.
partner-default-text = { $name } is a partner of the campaign. See { $all }.
partner-all-link = all partners
# $name: the partner's acronym or name.
partner-mentions = Stories that mention { $name }
partner-details-label = Details
partner-at-a-glance = At a glance
partner-type = Type
partner-region = Region
partner-based-in = Based in
partner-since = In the campaign since
partner-website = Website
partner-role = Role in the campaign
partners-back = All partners

## Plain pages (page.html)

toc-title = On this page

## Page not found (404.html)

notfound-eyebrow = Error 404
notfound-title = We can’t find that page
notfound-lede = The address may be mistyped, or the page may have moved when the site was reorganised.
notfound-home = Go to the home page
notfound-stories = Read the latest stories
notfound-try = Or try one of these
notfound-resolutions = Resolutions and standards
notfound-resolutions-text = the timeline of UN and regional standards on child immigration detention
notfound-partners = Partners
notfound-partners-text = the organisations working together in the campaign
notfound-action = Take action
notfound-action-text = how you and your organisation can help

## Embeds in stories and pages (embeds.html)

# $title: the cited document's title.
cite-label = Standard cited: { $title }
# $number: the paragraph's number.
cite-paragraph = Our summary of ¶ { $number }:
# $name: the partner's name.
partner-label = Partner: { $name }
# $title: the video's title.
video-play = Play video: { $title }
video-note = The video loads from its host only when you play it.
# $email: the address the message goes to.
form-mailto-intro = This opens your email program with a message to { $email }. Fill in the lines, then send it.
form-your-message = Your message
form-open-email = Open in my email program
form-required = (required)
form-optional = (optional)
form-honeypot = Leave this field empty
form-send = Send
form-privacy-link = How your data is handled
letter-title = Write to a decision-maker
# $to: the address the letter goes to.
letter-to = To: { $to }
letter-their-email = Their email address
letter-subject = Subject
letter-body = Your letter: change it as you like
letter-privacy = Your own email program sends the letter; nothing goes to this website. You can also copy the text into any message.
share-title = Share

## Labels of the fixed vocabularies of front matter, which rally sets on entries (kind_label,
## stance_label, type_label, type_singular, region_label, roles' label) and on the
## resolutions' and partners' filters and groups: the key is the prefix and the value's key
## in front matter (type: un-agency → partner-type-un-agency; -one for one partner).

kind-resolution = Resolution
kind-declaration = Declaration
kind-general-comment = General comment
kind-advisory-opinion = Advisory opinion
kind-report = Report
kind-day-of-general-discussion = Day of General Discussion
kind-compact = Global compact
kind-guidelines = Guidelines
kind-other = Other
stance-prohibits = Rules out detaining children
stance-last-resort = Allows it as a last resort
stance-alternatives = Promotes alternatives
partner-type-ngo = Non-governmental organisations
partner-type-ngo-one = Non-governmental organisation
partner-type-network = Networks and coalitions
partner-type-network-one = Network or coalition
partner-type-un-agency = UN agencies
partner-type-un-agency-one = UN agency
partner-type-un-mechanism = UN human rights mechanisms
partner-type-un-mechanism-one = UN human rights mechanism
partner-type-igo = Intergovernmental organisations
partner-type-igo-one = Intergovernmental organisation
partner-type-regional-body = Regional bodies
partner-type-regional-body-one = Regional body
partner-type-other = Other organisations
partner-type-other-one = Organisation
region-global = Global
region-africa = Africa
region-americas = Americas
region-asia-pacific = Asia and the Pacific
region-europe = Europe
region-middle-east-north-africa = Middle East and North Africa
# A partner's role in the campaign (roles: in content/partners); a role without a string
# is shown as its key made readable (media-partner → "Media partner").
role-campaign-coordinator = Campaign coordinator
role-working-group-chair = Chair of the Inter-Agency Working Group
role-working-group-member = Inter-Agency Working Group member
role-campaign-supporter = Campaign supporter
role-un-standard-setter = UN standard-setting body
role-regional-standard-setter = Regional standard-setting body

# Titles of the pages rally makes (the browser tab, the lists' headings).
tags-title = Tags
notfound-page-title = Page not found
# As in "Stories, page 2".
stories-page-word = page
# As in "Stories on Europe" (a topic's page).
stories-on = Stories on

## Search (search.html, the header's search box, js/search.js)

search-title = Search
search-label = Search the site
search-button = Search
# What a result that is a plain page (About, Take action) is called.
search-kind-page = Page
search-hint = Type a resolution’s symbol (A/RES/69/187), an organisation (UNHCR) or any words.
# $query: what the visitor typed; $count: how many results.
search-results = Results for “{ $query }”: { $count }
# $query: what the visitor typed.
search-none = Nothing found for “{ $query }”. Try other or fewer words, or browse the sections below.
search-loading = Loading the search…
search-failed = The search could not load. Everything on the site is listed in its sections:
search-more = Show more results
search-nojs = Searching needs JavaScript, which is off in this browser. Everything on the site is listed in its sections:

## The page left at an entry's old address (`aliases:`), sending visitors on.
redirect-title = This page has moved
redirect-notice = This page is now at
