### Textes de l’interface du thème « campaign », en français. Les clés et leurs commentaires
### sont dans themes/campaign/strings/en.ftl.

## Toutes les pages

skip-link = Aller au contenu principal
preview-banner = Aperçu : les brouillons et les récits programmés sont affichés.
draft = Brouillon
draft-notice = Cette page n’est pas encore publiée.

## Menu principal

nav-label = Principal
nav-toggle = Menu

## Pied de page

footer-coordinated-by = Coordonnée par { $name }.
footer-contact = Contact :
footer-newsletter = Recevoir les nouvelles de la campagne par e-mail
footer-social-label = La campagne ailleurs
footer-nav-label = Pied de page
footer-home = Accueil
footer-topics = Thèmes
footer-feed = Flux des récits (Atom)
footer-privacy = Confidentialité
footer-licence = Licence du contenu : { $licence }.
footer-built-with = Réalisé avec { $generator }. Ni traceurs, ni scripts tiers.

## Flux

feed-title = { $site } : récits
feed-title-tag = { $site } : { $tag }
feed-title-resolutions = { $site } : résolutions

## Accueil

home-eyebrow = Une campagne mondiale
home-headline = Aucun enfant ne devrait être enfermé en raison de son statut migratoire.
home-call = La détention liée à l’immigration n’est jamais dans l’intérêt supérieur de l’enfant. Avec des agences des Nations unies, des organismes régionaux et des organisations de la société civile, nous œuvrons pour un monde où chaque enfant touché par la migration vit libre, avec sa famille et au sein de la communauté.
home-take-action = Agir
home-read-call = Lire notre appel
home-numbers = La campagne en chiffres
home-stat-resolutions = résolutions et normes citées
home-stat-stories = { $count ->
    [one] récit de la campagne
   *[other] récits de la campagne
}
home-featured = À la une
home-latest = Derniers récits
home-all-stories = { $count ->
    [one] Le seul récit
   *[other] Les { $count } récits
}
home-timeline = Comment les normes ont évolué
home-full-timeline = La chronologie complète
home-timeline-lede = Depuis { $year }, les organes des Nations unies et les mécanismes régionaux de droits humains sont passés de la tolérance de la détention des enfants migrants à l’appel à y mettre fin.
home-cta-title = Mettre fin à la détention des enfants est possible
home-cta-text = Les organisations peuvent soutenir la campagne ; chacun peut écrire à un décideur, s’abonner aux nouvelles et relayer l’appel.
home-cta-button = Comment vous pouvez aider

## Listes de récits

stories-title = Récits
stories-page-of = Page { $number } sur { $total }
stories-lede = Une chronique datée des étapes de la campagne : comment les normes ont été obtenues et ce qu’elles ont changé pour les enfants.
stories-none = Aucun récit n’a encore été publié.
stories-pages-label = Pages des récits
stories-browse-label = Parcourir les récits
stories-follow = Suivre la campagne
stories-so-far = { $count ->
    [one] { $count } récit à ce jour. Recevez les nouveaux dans votre lecteur de flux grâce au { $feed }.
   *[other] { $count } récits à ce jour. Recevez les nouveaux dans votre lecteur de flux grâce au { $feed }.
}
feed-link = flux Atom
topics = Thèmes
topics-none = Aucun thème pour l’instant.
topics-lede = Chaque récit est classé sous un ou plusieurs thèmes. Choisissez-en un pour lire ses récits ensemble.
topic-count = { $count ->
    [one] { $count } récit
   *[other] { $count } récits
}
topic-lede = { $count ->
    [one] { $count } récit sur ce thème.
   *[other] { $count } récits sur ce thème.
}
topic-pages-label = Pages de ce thème
topics-all = Tous les thèmes

## Pagination

pagination-newer = Plus récents
pagination-older = Plus anciens
pagination-page = Page

## Un récit

# The word above a story's title on its share card (the picture social networks show).
card-story = Récit
story-by = Par { $author }
story-reading-time = { $minutes ->
    [one] { $minutes } min de lecture
   *[other] { $minutes } min de lecture
}
story-aside-label = À propos de ce récit
story-cited = Normes citées
story-partners = Partenaires concernés
story-share = Partager ce récit
share-email = E-mail
story-link = Lien vers ce récit
copy-link = Copier le lien
copy-done = Lien copié.
copy-by-hand = Appuyez sur Ctrl+C (ou Cmd+C) pour copier le lien sélectionné.
story-more-label = Autres récits
story-older = Récit précédent
story-newer = Récit suivant

## Résolutions

resolutions-lede = Les normes des Nations unies et régionales sur lesquelles s’appuie la campagne, des premiers appels à des alternatives jusqu’à la règle selon laquelle la détention liée à l’immigration n’est jamais dans l’intérêt supérieur de l’enfant.
resolutions-count = { $documents ->
    [one] { $documents } document
   *[other] { $documents } documents
} de { $bodies ->
    [one] { $bodies } organe
   *[other] { $bodies } organes
}
filter-by-body = Adopté ou publié par
filter-all-bodies = Tous les organes
filter-kind = Type de document
filter-all-types = Tous les types
filter-stance = Sur la détention des enfants
filter-any-stance = Toutes les positions
filter-show-all = Tout afficher
filter-no-documents = Aucun document ne correspond à ces filtres.
filter-show-all-documents = Afficher tous les documents
filter-showing-one-document = 1 document affiché.
filter-showing-all-documents = Les { $all } documents sont affichés.
filter-showing-documents = { $shown } documents affichés sur { $all }.
resolutions-all = Résolutions et normes
resolution-full-title = Titre complet :
resolution-symbol = Cote
resolution-issued-by = Publié par
resolution-adopted-by = Adopté par
resolution-document-date = Date du document
resolution-adopted = Adopté
resolution-type = Type
resolution-stance = Sur la détention des enfants
resolution-official-text = Lire le texte officiel
resolution-key-paragraphs = Paragraphes clés
resolution-summaries-note = Résumés dans nos propres mots ; le texte officiel fait foi.
paragraph-summary = Notre résumé du § { $number }
resolution-why = Pourquoi c’est important
resolution-related-label = Contenus liés
resolution-cited-by = Récits qui le citent
resolution-cited-by-none = Aucun récit ne cite encore ce document.
resolutions-back = Toutes les résolutions et normes

## Partenaires

partners-title = Partenaires
partners-lede = Organisations non gouvernementales, réseaux, agences des Nations unies et organismes régionaux qui travaillent avec la campagne pour mettre fin à la détention des enfants liée à l’immigration ; ensuite, les organes indépendants dont elle cite les normes.
partners-count = { $count ->
    [one] { $count } organisation figure ici.
   *[other] { $count } organisations figurent ici.
}
partners-where = Où se trouvent les partenaires
map-title = Carte du monde des sièges des partenaires
map-description = Pays où se trouvent les partenaires de la liste : { $countries }.
map-caption = En couleur, les pays des sièges des partenaires. Carte : Natural Earth.
partners-by-country = Par pays
partners-by-region = Par région
partners-filter-label = Filtrer les partenaires
filter-name = Rechercher par nom
filter-name-example = p. ex. UNICEF
filter-region = Région
filter-all-regions = Toutes les régions
filter-type = Type
filter-clear = Effacer
filter-no-partners = Aucune organisation ne correspond.
filter-clear-all = Effacer les filtres
filter-showing-one-partner = 1 organisation affichée.
filter-showing-all-partners = Les { $all } organisations sont affichées.
filter-showing-partners = { $shown } organisations affichées sur { $all }.
partners-cited-title = Organes dont la campagne cite les normes
partners-cited-lede = Mécanismes indépendants des Nations unies et régionaux. Leurs rapports et décisions appuient l’appel de la campagne ; ils n’en sont pas membres.
partner-default-text = { $name } est partenaire de la campagne. Voir { $all }.
partner-all-link = tous les partenaires
partner-mentions = Récits qui mentionnent { $name }
partner-details-label = Détails
partner-at-a-glance = En bref
partner-type = Type
partner-region = Région
partner-based-in = Siège
partner-since = Dans la campagne depuis
partner-website = Site web
partner-role = Rôle dans la campagne
partners-back = Tous les partenaires

## Pages

toc-title = Sur cette page

## Page introuvable

notfound-eyebrow = Erreur 404
notfound-title = Nous ne trouvons pas cette page
notfound-lede = L’adresse est peut-être mal saisie, ou la page a pu être déplacée lors de la réorganisation du site.
notfound-home = Aller à l’accueil
notfound-stories = Lire les derniers récits
notfound-try = Ou essayez l’une de ces pages
notfound-resolutions = Résolutions et normes
notfound-resolutions-text = la chronologie des normes des Nations unies et régionales sur la détention des enfants migrants
notfound-partners = Partenaires
notfound-partners-text = les organisations qui travaillent ensemble dans la campagne
notfound-action = Agir
notfound-action-text = comment vous et votre organisation pouvez aider

## Éléments insérés

cite-label = Norme citée : { $title }
cite-paragraph = Notre résumé du § { $number } :
partner-label = Partenaire : { $name }
video-play = Lire la vidéo : { $title }
video-note = La vidéo ne se charge depuis son hébergeur que lorsque vous la lancez.
form-mailto-intro = Votre messagerie s’ouvre avec un message pour { $email }. Remplissez les lignes, puis envoyez-le.
form-your-message = Votre message
form-open-email = Ouvrir dans ma messagerie
form-required = (obligatoire)
form-optional = (facultatif)
form-honeypot = Laissez ce champ vide
form-send = Envoyer
form-privacy-link = Comment vos données sont traitées
letter-title = Écrire à un décideur
letter-to = À : { $to }
letter-their-email = Son adresse e-mail
letter-subject = Objet
letter-body = Votre lettre : modifiez-la à votre guise
letter-privacy = C’est votre propre messagerie qui envoie la lettre ; rien n’est transmis à ce site. Vous pouvez aussi copier le texte dans n’importe quel message.
share-title = Partager

## Libellés des vocabulaires fixes (types de document, positions, types de partenaire,
## régions, rôles) ; la clé est le préfixe et la valeur du front matter.

kind-resolution = Résolution
kind-declaration = Déclaration
kind-general-comment = Observation générale
kind-advisory-opinion = Avis consultatif
kind-report = Rapport
kind-day-of-general-discussion = Journée de débat général
kind-compact = Pacte mondial
kind-guidelines = Lignes directrices
kind-other = Autre
stance-prohibits = Exclut la détention d’enfants
stance-last-resort = L’admet en dernier ressort
stance-alternatives = Promeut des alternatives
partner-type-ngo = Organisations non gouvernementales
partner-type-ngo-one = Organisation non gouvernementale
partner-type-network = Réseaux et coalitions
partner-type-network-one = Réseau ou coalition
partner-type-un-agency = Organismes des Nations unies
partner-type-un-agency-one = Organisme des Nations unies
partner-type-un-mechanism = Mécanismes des droits de l’homme des Nations unies
partner-type-un-mechanism-one = Mécanisme des droits de l’homme des Nations unies
partner-type-igo = Organisations intergouvernementales
partner-type-igo-one = Organisation intergouvernementale
partner-type-regional-body = Organismes régionaux
partner-type-regional-body-one = Organisme régional
partner-type-other = Autres organisations
partner-type-other-one = Organisation
region-global = Monde
region-africa = Afrique
region-americas = Amériques
region-asia-pacific = Asie et Pacifique
region-europe = Europe
region-middle-east-north-africa = Moyen-Orient et Afrique du Nord
role-campaign-coordinator = Coordination de la campagne
role-working-group-chair = Présidence du Groupe de travail interinstitutions
role-working-group-member = Membre du Groupe de travail interinstitutions
role-campaign-supporter = Soutient la campagne
role-un-standard-setter = Organe normatif des Nations unies
role-regional-standard-setter = Organe normatif régional

## Thèmes du site de la campagne (tag-<id> : le nom de chaque thème)

tag-alternatives-to-detention = Alternatives à la détention
tag-americas = Les Amériques
tag-campaign = La campagne
tag-crc = Comité des droits de l’enfant
tag-europe = Europe
tag-general-assembly = Assemblée générale des Nations unies
tag-human-rights-council = Conseil des droits de l’homme
tag-regional = Normes régionales
tag-take-action = Agir
tag-un-standards = Normes des Nations unies
tag-working-group = Groupe de travail interinstitutions

# Titres des pages que rally crée (l’onglet du navigateur, les titres des listes).
tags-title = Thèmes
notfound-page-title = Page introuvable
stories-page-word = page
stories-on = Histoires sur

## Search (search.html, the header's search box, js/search.js)

search-title = Rechercher
search-label = Rechercher sur le site
search-button = Rechercher
search-kind-page = Page
search-hint = Saisissez la cote d’une résolution (A/RES/69/187), une organisation (UNHCR) ou des mots.
search-results = Résultats pour « { $query } » : { $count }
search-none = Aucun résultat pour « { $query } ». Essayez d’autres mots, ou moins de mots, ou parcourez les rubriques.
search-loading = Chargement de la recherche…
search-failed = La recherche n’a pas pu se charger. Tout le contenu du site figure dans ses rubriques :
search-more = Plus de résultats
search-nojs = La recherche nécessite JavaScript, désactivé dans ce navigateur. Tout le contenu du site figure dans ses rubriques :

## La page laissée à l’ancienne adresse d’une entrée (`aliases:`).
redirect-title = Cette page a déménagé
redirect-notice = Cette page se trouve désormais à l’adresse
