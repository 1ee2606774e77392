### Textos de la interfaz del tema «campaign», en español. Las claves y los comentarios
### están en themes/campaign/strings/en.ftl.

## Todas las páginas

skip-link = Ir al contenido principal
preview-banner = Vista previa: se muestran los borradores y las historias programadas.
draft = Borrador
draft-notice = Esta página aún no está publicada.

## Menú principal

nav-label = Principal
nav-toggle = Menú

## Pie de página

footer-coordinated-by = Coordinada por { $name }.
footer-contact = Contacto:
footer-newsletter = Reciba por correo las novedades de la campaña
footer-social-label = La campaña en otros sitios
footer-nav-label = Pie de página
footer-home = Inicio
footer-topics = Temas
footer-feed = Canal de historias (Atom)
footer-privacy = Privacidad
footer-licence = Licencia del contenido: { $licence }.
footer-built-with = Creado con { $generator }. Sin rastreadores ni scripts de terceros.

## Canal

feed-title = { $site }: historias
feed-title-tag = { $site }: { $tag }
feed-title-resolutions = { $site }: resoluciones

## Inicio

home-eyebrow = Una campaña mundial
home-headline = Ningún niño o niña debe ser privado de libertad por su situación migratoria.
home-call = La detención por motivos migratorios nunca responde al interés superior del niño. Junto con agencias de la ONU, organismos regionales y organizaciones de la sociedad civil, trabajamos por un mundo en el que cada niño y niña afectado por la migración viva en libertad, con su familia y en la comunidad.
home-take-action = Actúe
home-read-call = Lea nuestro llamamiento
home-numbers = La campaña en cifras
home-stat-resolutions = resoluciones y normas citadas
home-stat-stories = { $count ->
    [one] historia de la campaña
   *[other] historias de la campaña
}
home-featured = Destacadas
home-latest = Últimas historias
home-all-stories = { $count ->
    [one] La { $count } historia
   *[other] Las { $count } historias
}
home-timeline = Cómo han cambiado las normas
home-full-timeline = La cronología completa
home-timeline-lede = Desde { $year }, los órganos de la ONU y los mecanismos regionales de derechos humanos han pasado de tolerar la detención de niños migrantes a pedir que se ponga fin a ella.
home-cta-title = Acabar con la detención de niños es posible
home-cta-text = Las organizaciones pueden adherirse a la campaña; cualquier persona puede escribir a un responsable político, suscribirse a las novedades y difundir el llamamiento.
home-cta-button = Vea cómo puede ayudar

## Listas de historias

stories-title = Historias
stories-page-of = Página { $number } de { $total }
stories-lede = Un registro fechado de los hitos de la campaña: cómo se lograron las normas y qué significaron para los niños y niñas.
stories-none = Todavía no se ha publicado ninguna historia.
stories-pages-label = Páginas de historias
stories-browse-label = Explorar las historias
stories-follow = Siga la campaña
stories-so-far = { $count ->
    [one] { $count } historia hasta ahora. Reciba las nuevas en su lector de noticias con el { $feed }.
   *[other] { $count } historias hasta ahora. Reciba las nuevas en su lector de noticias con el { $feed }.
}
feed-link = canal Atom
topics = Temas
topics-none = Todavía no hay temas.
topics-lede = Cada historia se clasifica en uno o varios temas. Elija uno para leer juntas sus historias.
topic-count = { $count ->
    [one] { $count } historia
   *[other] { $count } historias
}
topic-lede = { $count ->
    [one] { $count } historia sobre este tema.
   *[other] { $count } historias sobre este tema.
}
topic-pages-label = Páginas de este tema
topics-all = Todos los temas

## Paginación

pagination-newer = Más recientes
pagination-older = Anteriores
pagination-page = Página

## Una historia

# The word above a story's title on its share card (the picture social networks show).
card-story = Historia
story-by = Por { $author }
story-reading-time = { $minutes ->
    [one] { $minutes } minuto de lectura
   *[other] { $minutes } minutos de lectura
}
story-aside-label = Sobre esta historia
story-cited = Normas citadas
story-partners = Socios participantes
story-share = Comparta esta historia
share-email = Correo electrónico
story-link = Enlace a esta historia
copy-link = Copiar el enlace
copy-done = Enlace copiado.
copy-by-hand = Pulse Ctrl+C (o Cmd+C) para copiar el enlace seleccionado.
story-more-label = Más historias
story-older = Historia anterior
story-newer = Historia siguiente

## Resoluciones

resolutions-lede = Las normas de la ONU y regionales con las que trabaja la campaña, desde los primeros llamamientos a buscar alternativas hasta la regla de que la detención por motivos migratorios nunca responde al interés superior del niño.
resolutions-count = { $documents ->
    [one] { $documents } documento
   *[other] { $documents } documentos
} de { $bodies ->
    [one] { $bodies } órgano
   *[other] { $bodies } órganos
}
filter-by-body = Aprobado o emitido por
filter-all-bodies = Todos los órganos
filter-kind = Tipo de documento
filter-all-types = Todos los tipos
filter-stance = Sobre la detención de niños
filter-any-stance = Cualquier posición
filter-show-all = Mostrar todo
filter-no-documents = Ningún documento coincide con estos filtros.
filter-show-all-documents = Mostrar todos los documentos
filter-showing-one-document = Se muestra 1 documento.
filter-showing-all-documents = Se muestran los { $all } documentos.
filter-showing-documents = Se muestran { $shown } de { $all } documentos.
resolutions-all = Resoluciones y normas
resolution-full-title = Título completo:
resolution-symbol = Signatura
resolution-issued-by = Emitido por
resolution-adopted-by = Aprobado por
resolution-document-date = Fecha del documento
resolution-adopted = Aprobado
resolution-type = Tipo
resolution-stance = Sobre la detención de niños
resolution-official-text = Leer el texto oficial
resolution-key-paragraphs = Párrafos clave
resolution-summaries-note = Resúmenes con nuestras propias palabras; la referencia es el texto oficial.
paragraph-summary = Nuestro resumen del ¶ { $number }
resolution-why = Por qué es importante
resolution-related-label = Relacionado
resolution-cited-by = Historias que lo citan
resolution-cited-by-none = Ninguna historia cita todavía este documento.
resolutions-back = Todas las resoluciones y normas

## Socios

partners-title = Socios
partners-lede = Organizaciones no gubernamentales, redes, agencias de la ONU y organismos regionales que trabajan con la campaña para acabar con la detención de niños por motivos migratorios; a continuación, los órganos independientes cuyas normas cita.
partners-count = { $count ->
    [one] Aquí figura { $count } organización.
   *[other] Aquí figuran { $count } organizaciones.
}
partners-where = Dónde tienen su sede los socios
map-title = Mapa mundial de las sedes de los socios
map-description = Países en los que tienen su sede los socios de la lista: { $countries }.
map-caption = En color, los países de las sedes de los socios. Mapa: Natural Earth.
partners-by-country = Por país
partners-by-region = Por región
partners-filter-label = Filtrar los socios
filter-name = Buscar por nombre
filter-name-example = p. ej., UNICEF
filter-region = Región
filter-all-regions = Todas las regiones
filter-type = Tipo
filter-clear = Borrar
filter-no-partners = Ninguna organización coincide.
filter-clear-all = Borrar los filtros
filter-showing-one-partner = Se muestra 1 organización.
filter-showing-all-partners = Se muestran las { $all } organizaciones.
filter-showing-partners = Se muestran { $shown } de { $all } organizaciones.
partners-cited-title = Órganos cuyas normas cita la campaña
partners-cited-lede = Mecanismos independientes de la ONU y regionales. Sus informes y decisiones respaldan el llamamiento de la campaña; no son miembros de ella.
partner-default-text = { $name } es socio de la campaña. Vea { $all }.
partner-all-link = todos los socios
partner-mentions = Historias que mencionan a { $name }
partner-details-label = Detalles
partner-at-a-glance = De un vistazo
partner-type = Tipo
partner-region = Región
partner-based-in = Sede
partner-since = En la campaña desde
partner-website = Sitio web
partner-role = Papel en la campaña
partners-back = Todos los socios

## Páginas

toc-title = En esta página

## Página no encontrada

notfound-eyebrow = Error 404
notfound-title = No encontramos esa página
notfound-lede = Puede que la dirección esté mal escrita o que la página se haya movido al reorganizar el sitio.
notfound-home = Ir a la página de inicio
notfound-stories = Leer las últimas historias
notfound-try = O pruebe una de estas
notfound-resolutions = Resoluciones y normas
notfound-resolutions-text = la cronología de las normas de la ONU y regionales sobre la detención de niños migrantes
notfound-partners = Socios
notfound-partners-text = las organizaciones que trabajan juntas en la campaña
notfound-action = Actúe
notfound-action-text = cómo usted y su organización pueden ayudar

## Elementos insertados

cite-label = Norma citada: { $title }
cite-paragraph = Nuestro resumen del ¶ { $number }:
partner-label = Socio: { $name }
video-play = Reproducir el vídeo: { $title }
video-note = El vídeo solo se carga desde su sitio cuando usted lo reproduce.
form-mailto-intro = Se abrirá su programa de correo con un mensaje para { $email }. Complete las líneas y envíelo.
form-your-message = Su mensaje
form-open-email = Abrir en mi programa de correo
form-required = (obligatorio)
form-optional = (opcional)
form-honeypot = Deje este campo vacío
form-send = Enviar
form-privacy-link = Cómo se tratan sus datos
letter-title = Escriba a un responsable político
letter-to = Para: { $to }
letter-their-email = Su dirección de correo electrónico
letter-subject = Asunto
letter-body = Su carta: modifíquela como quiera
letter-privacy = Es su propio programa de correo el que envía la carta; nada llega a este sitio web. También puede copiar el texto en cualquier mensaje.
share-title = Compartir

## Etiquetas de los vocabularios fijos (tipos de documento, posturas, tipos de socio,
## regiones, funciones); la clave es el prefijo y el valor del front matter.

kind-resolution = Resolución
kind-declaration = Declaración
kind-general-comment = Observación general
kind-advisory-opinion = Opinión consultiva
kind-report = Informe
kind-day-of-general-discussion = Día de debate general
kind-compact = Pacto mundial
kind-guidelines = Directrices
kind-other = Otro
stance-prohibits = Descarta la detención de niños
stance-last-resort = La admite como último recurso
stance-alternatives = Promueve alternativas
partner-type-ngo = Organizaciones no gubernamentales
partner-type-ngo-one = Organización no gubernamental
partner-type-network = Redes y coaliciones
partner-type-network-one = Red o coalición
partner-type-un-agency = Organismos de las Naciones Unidas
partner-type-un-agency-one = Organismo de las Naciones Unidas
partner-type-un-mechanism = Mecanismos de derechos humanos de las Naciones Unidas
partner-type-un-mechanism-one = Mecanismo de derechos humanos de las Naciones Unidas
partner-type-igo = Organizaciones intergubernamentales
partner-type-igo-one = Organización intergubernamental
partner-type-regional-body = Organismos regionales
partner-type-regional-body-one = Organismo regional
partner-type-other = Otras organizaciones
partner-type-other-one = Organización
region-global = Mundial
region-africa = África
region-americas = Américas
region-asia-pacific = Asia y el Pacífico
region-europe = Europa
region-middle-east-north-africa = Oriente Medio y Norte de África
role-campaign-coordinator = Coordinación de la campaña
role-working-group-chair = Presidencia del Grupo de Trabajo Interinstitucional
role-working-group-member = Miembro del Grupo de Trabajo Interinstitucional
role-campaign-supporter = Apoya la campaña
role-un-standard-setter = Órgano normativo de las Naciones Unidas
role-regional-standard-setter = Órgano normativo regional

## Temas del sitio de la campaña (tag-<id>: el nombre de cada tema)

tag-alternatives-to-detention = Alternativas a la detención
tag-americas = Las Américas
tag-campaign = La campaña
tag-crc = Comité de los Derechos del Niño
tag-europe = Europa
tag-general-assembly = Asamblea General de la ONU
tag-human-rights-council = Consejo de Derechos Humanos
tag-regional = Normas regionales
tag-take-action = Pasar a la acción
tag-un-standards = Normas de la ONU
tag-working-group = Grupo de Trabajo Interinstitucional

# Títulos de las páginas que hace rally (la pestaña del navegador, los títulos de las listas).
tags-title = Temas
notfound-page-title = Página no encontrada
stories-page-word = página
stories-on = Historias sobre

## Search (search.html, the header's search box, js/search.js)

search-title = Buscar
search-label = Buscar en el sitio
search-button = Buscar
search-kind-page = Página
search-hint = Escriba la signatura de una resolución (A/RES/69/187), una organización (UNHCR) o cualquier palabra.
search-results = Resultados para «{ $query }»: { $count }
search-none = No se encontró nada para «{ $query }». Pruebe otras palabras, o menos, o explore las secciones.
search-loading = Cargando la búsqueda…
search-failed = No se pudo cargar la búsqueda. Todo el contenido del sitio está en sus secciones:
search-more = Ver más resultados
search-nojs = La búsqueda necesita JavaScript, que está desactivado en este navegador. Todo el contenido del sitio está en sus secciones:

## La página que queda en la dirección antigua de una entrada (`aliases:`).
redirect-title = Esta página se ha trasladado
redirect-notice = Esta página está ahora en
