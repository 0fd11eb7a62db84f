"""Short news texts written for the tests, one per language (ISO 639-1 code -> (title, body))."""

SAMPLES = {
    "en": ("City council approves new transit plan",
           "The city council voted on Tuesday to approve a new transit plan that will add three bus lines "
           "and extend the light rail to the airport. Mayor Michael Carter said the project would be finished by 2028 "
           "and that the cost would be shared with the state government."),
    "de": ("Stadtrat beschließt neuen Nahverkehrsplan",
           "Der Stadtrat hat am Dienstag einen neuen Nahverkehrsplan beschlossen, der drei zusätzliche "
           "Buslinien vorsieht und die Straßenbahn bis zum Flughafen verlängert. Der Bürgermeister sagte, "
           "das Projekt werde bis 2028 fertig sein und die Kosten würden mit dem Land geteilt."),
    "fr": ("Le conseil municipal adopte un nouveau plan de transport",
           "Le conseil municipal a approuvé mardi un nouveau plan de transport qui ajoutera trois lignes de "
           "bus et prolongera le tramway jusqu'à l'aéroport. Le maire a déclaré que le projet serait terminé "
           "d'ici 2028 et que son coût serait partagé avec l'État."),
    "es": ("El ayuntamiento aprueba un nuevo plan de transporte",
           "El ayuntamiento aprobó el martes un nuevo plan de transporte que añadirá tres líneas de autobús "
           "y ampliará el tranvía hasta el aeropuerto. El alcalde dijo que el proyecto estará terminado en "
           "2028 y que el coste se compartirá con el gobierno regional."),
    "it": ("Il consiglio comunale approva il nuovo piano dei trasporti",
           "Il consiglio comunale ha approvato martedì un nuovo piano dei trasporti che aggiungerà tre linee "
           "di autobus e prolungherà il tram fino all'aeroporto. Il sindaco ha detto che il progetto sarà "
           "completato entro il 2028 e che i costi saranno condivisi con la regione."),
    "pt": ("Câmara municipal aprova novo plano de transportes",
           "A câmara municipal aprovou na terça-feira um novo plano de transportes que vai acrescentar três "
           "linhas de autocarro e prolongar o elétrico até ao aeroporto. O presidente da câmara disse que o "
           "projeto estará concluído em 2028 e que os custos serão partilhados com o governo."),
    "nl": ("Gemeenteraad keurt nieuw vervoersplan goed",
           "De gemeenteraad heeft dinsdag een nieuw vervoersplan goedgekeurd dat drie buslijnen toevoegt en "
           "de tram doortrekt naar het vliegveld. De burgemeester zei dat het project in 2028 klaar zal zijn "
           "en dat de kosten met de provincie worden gedeeld."),
    "pl": ("Rada miasta przyjęła nowy plan transportowy",
           "Rada miasta przyjęła we wtorek nowy plan transportowy, który doda trzy linie autobusowe i "
           "przedłuży tramwaj do lotniska. Burmistrz powiedział, że projekt zostanie ukończony do 2028 roku, "
           "a koszty zostaną podzielone z rządem województwa."),
    "cs": ("Zastupitelstvo schválilo nový dopravní plán",
           "Městské zastupitelstvo v úterý schválilo nový dopravní plán, který přidá tři autobusové linky a "
           "prodlouží tramvajovou trať až na letiště. Starosta řekl, že projekt bude dokončen do roku 2028 a "
           "že náklady se rozdělí s krajem."),
    "ru": ("Городской совет утвердил новый транспортный план",
           "Городской совет во вторник утвердил новый транспортный план, который добавит три автобусных "
           "маршрута и продлит трамвайную линию до аэропорта. Мэр заявил, что проект будет завершён к 2028 "
           "году, а расходы будут разделены с областным правительством."),
}
