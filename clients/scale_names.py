"""Name pools for the scale data set (clients.scale): the names a border clinic sees.

Each list is ordered from most to least common, so a Zipf-like weight by rank gives a realistic
spread: many Hernández and García, few Xicará. All combinations are invented people.
"""

# Country code -> share of the clinic's clients (a border clinic in El Paso, 2020s).
COUNTRIES: dict[str, float] = {
    "MX": 0.33, "HN": 0.18, "GT": 0.15, "SV": 0.10, "VE": 0.08,
    "CU": 0.05, "HT": 0.04, "NI": 0.03, "CO": 0.025, "EC": 0.015,
}  # fmt: skip

MALE_GIVEN = (
    "José", "Juan", "Luis", "Carlos", "Jesús", "Francisco", "Miguel", "Jorge", "Antonio", "Pedro",
    "Manuel", "Alejandro", "Ricardo", "Eduardo", "Roberto", "Fernando", "Javier", "Mario", "Óscar",
    "Rafael", "Daniel", "David", "Raúl", "Sergio", "Víctor", "Héctor", "Guillermo", "Arturo",
    "Enrique", "Ángel", "Alberto", "Ramón", "Martín", "Julio", "Salvador", "Rubén", "Gerardo",
    "Andrés", "Santos", "Kevin", "Wilmer", "Edwin", "Nelson", "Erick", "Cristian", "Marvin", "Elmer",
    "Josué", "Byron", "Selvin", "Ignacio", "Alfredo", "Gustavo", "Ernesto", "Rigoberto", "Pablo",
    "Diego", "Gregorio", "Vicente", "Lorenzo", "Alfonso", "Gonzalo", "Brayan", "Darwin", "Wilson",
    "Henry", "Yeison", "Esteban", "Tomás", "Emilio", "Armando", "Humberto", "Gilberto", "Heriberto",
    "Adolfo", "Rodolfo", "Octavio", "Nicolás", "Santiago", "Samuel", "Isaac", "Ismael", "Elías",
    "Moisés", "Efraín", "Noé", "Abel", "Joel", "Patricio", "Cuauhtémoc", "Bayron", "Olvin", "Denis",
    "Yefri", "Anderson", "Jhon", "Osmín", "Fredy", "Walter", "Axel", "Jonathan", "Alexander",
)  # fmt: skip

FEMALE_GIVEN = (
    "María", "Guadalupe", "Ana", "Rosa", "Juana", "Gabriela", "Patricia", "Verónica", "Leticia",
    "Alejandra", "Carmen", "Margarita", "Teresa", "Martha", "Yolanda", "Elizabeth", "Sandra",
    "Claudia", "Silvia", "Laura", "Josefina", "Dolores", "Rosario", "Isabel", "Francisca", "Alicia",
    "Daniela", "Karla", "Fernanda", "Andrea", "Valeria", "Yesenia", "Gloria", "Esperanza", "Reina",
    "Marisol", "Lourdes", "Sonia", "Susana", "Victoria", "Carolina", "Catalina", "Cristina",
    "Concepción", "Mercedes", "Consuelo", "Magdalena", "Wendy", "Dania", "Glenda", "Heidy", "Keila",
    "Yadira", "Iris", "Lesly", "Brenda", "Jennifer", "Maribel", "Norma", "Blanca", "Marta", "Olga",
    "Pilar", "Refugio", "Agustina", "Lucía", "Sofía", "Camila", "Ximena", "Fabiola", "Nayeli",
    "Itzel", "Xiomara", "Yamileth", "Damaris", "Ingrid", "Kenia", "Mirna", "Paola", "Rocío",
)  # fmt: skip

# Compound given names are chosen as a unit (María José is one name, not two draws).
MALE_COMPOUND = (
    "José Luis", "Juan Carlos", "José Antonio", "Luis Fernando", "Juan José", "Jesús Alberto",
    "José Manuel", "Carlos Alberto", "Miguel Ángel", "Juan Pablo", "José Ángel", "Luis Alberto",
    "José Francisco", "Jorge Luis", "Francisco Javier", "Juan Antonio", "José Alfredo", "Marco Antonio",
    "Víctor Manuel", "José Guadalupe", "Juan Manuel", "Luis Enrique", "Kevin Alexander", "Edwin Josué",
    "José Santos", "Elmer Alexander", "Carlos Eduardo", "José de Jesús", "José María",
)  # fmt: skip

FEMALE_COMPOUND = (
    "María Guadalupe", "María José", "Ana María", "María Fernanda", "María del Carmen", "María Elena",
    "Rosa María", "María Isabel", "María de los Ángeles", "María Teresa", "Ana Lucía", "María Dolores",
    "Luz María", "María de Jesús", "Ana Gabriela", "María del Rosario", "Martha Patricia",
    "María Concepción", "Karla Patricia", "Dania Yamileth", "Reina Isabel", "María Josefina",
)  # fmt: skip

SURNAMES = (
    "Hernández", "García", "López", "Martínez", "González", "Pérez", "Rodríguez", "Sánchez",
    "Ramírez", "Cruz", "Flores", "Gómez", "Morales", "Reyes", "Vázquez", "Jiménez", "Torres", "Díaz",
    "Gutiérrez", "Ruiz", "Mendoza", "Aguilar", "Ortiz", "Castillo", "Moreno", "Romero", "Álvarez",
    "Méndez", "Chávez", "Rivera", "Juárez", "Ramos", "Domínguez", "Herrera", "Medina", "Castro",
    "Vargas", "Guzmán", "Velázquez", "Muñoz", "Rojas", "de la Cruz", "Contreras", "Salazar", "Luna",
    "Ortega", "Santiago", "Guerrero", "Bautista", "Estrada", "Cortés", "Soto", "Alvarado", "Espinoza",
    "Lara", "Ávila", "Ríos", "Cervantes", "Silva", "Delgado", "Vega", "Márquez", "Sandoval",
    "Fernández", "de León", "Carrillo", "Mejía", "Solís", "Núñez", "Rosas", "Valdez", "Ibarra",
    "Campos", "Santos", "Camacho", "Navarro", "Peña", "Maldonado", "Rosales", "Acosta", "Miranda",
    "Trejo", "Cabrera", "Valencia", "Nava", "Castañeda", "Pacheco", "Robles", "Molina", "Rangel",
    "Fuentes", "Huerta", "Meza", "Aguirre", "Cárdenas", "Orozco", "Padilla", "Espinosa", "Ayala",
    "Salas", "Valenzuela", "Zúñiga", "Ochoa", "Salinas", "Mora", "Tapia", "Serrano", "Durán",
    "Olvera", "Macías", "Zamora", "Calderón", "Arellano", "Suárez", "Barrera", "Zavala", "Villegas",
    "Gallegos", "Lozano", "Galván", "Figueroa", "Beltrán", "Franco", "Villanueva", "Sosa", "Montes",
    "Andrade", "Velasco", "Arias", "Marín", "Corona", "Garza", "Ponce", "Esquivel", "Pineda",
    "Alonso", "Palacios", "Quintero", "Benítez", "Cano", "Trujillo", "Rocha", "Zepeda", "Bravo",
    "Tovar", "Hidalgo", "Osorio", "Bonilla", "Cisneros", "Gallardo", "Lugo", "Escobar", "Palma",
    "del Ángel", "Montoya", "Barrios", "Chacón", "Valle", "Aguilera", "Ochoa", "Paredes", "Quiroz",
)  # fmt: skip

# Surnames common in one region only, drawn now and then instead of the shared list.
REGIONAL_SURNAMES: dict[str, tuple[str, ...]] = {
    "GT": ("Tzul", "Xicará", "Coc", "Caal", "Pop", "Choc", "Tzoc", "Ajú", "Chután", "Mazariegos", "Ixcoy",
           "Tum", "Quiej", "Batz", "Yax", "Cux", "Sicán", "Cholotío", "Boj", "Xol"),
    "HN": ("Zelaya", "Maradiaga", "Barahona", "Paz", "Cáceres", "Banegas", "Mejía", "Aguilar", "Funes",
           "Lagos", "Mondragón", "Ordóñez", "Matute", "Amador", "Sevilla"),
    "SV": ("Orellana", "Portillo", "Argueta", "Rivas", "Ventura", "Chicas", "Amaya", "Alfaro", "Guardado",
           "Hércules", "Menjívar", "Quintanilla", "Henríquez", "Bonilla", "Ayala"),
    "NI": ("Rugama", "Zeledón", "Obando", "Jarquín", "Sequeira", "Téllez", "Urbina", "Lacayo"),
    "VE": ("Quintero", "Briceño", "Colmenares", "Bracho", "Urdaneta", "Pernía", "Villalobos", "Guédez"),
    "CU": ("Fernández", "Cabrera", "Pupo", "Batista", "Despaigne", "Guerra", "Valdés", "Betancourt"),
    "CO": ("Restrepo", "Cardona", "Osorio", "Ospina", "Giraldo", "Henao", "Arango", "Valencia"),
    "EC": ("Quishpe", "Guamán", "Chimbo", "Yánez", "Zambrano", "Cedeño", "Vera", "Andrango"),
    "MX": ("Xolalpa", "Tlacuilo", "Huitrón", "Nolasco", "Coronado", "Olivares", "Zaragoza", "Bustamante"),
}  # fmt: skip

# Haitian names follow French patterns and have one surname.
HAITIAN_MALE = (
    "Jean", "Pierre", "Jean-Baptiste", "Wilner", "Jacques", "Fritznel", "Jean-Claude", "Wilson", "Joseph",
    "Ronald", "Emmanuel", "Frantz", "Jean-Robert", "Stanley", "Widlin", "Kervens", "Evens", "Rony",
)  # fmt: skip
HAITIAN_FEMALE = (
    "Marie", "Rose", "Guerline", "Nadège", "Fabienne", "Marie-Ange", "Nathalie", "Mirlande", "Rosemène",
    "Islande", "Wideline", "Esther", "Dieula", "Marie-Claude", "Lovely", "Louisiane",
)  # fmt: skip
HAITIAN_SURNAMES = (
    "Joseph", "Jean", "Pierre", "Louis", "Charles", "Baptiste", "Saint-Louis", "Alexis", "François",
    "Étienne", "Michel", "Augustin", "Dorvil", "Désir", "Célestin", "Exantus", "Fils-Aimé", "Jean-Louis",
    "Paul", "Théodore", "Destin", "Saint-Fleur", "Petit-Frère", "Lafortune", "Dorsainvil",
)  # fmt: skip

# Persecutors are often known only by a nickname, a rank or both.
ADVERSE_NICKNAMES = (
    "El Flaco", "El Chino", "El Gordo", "El Negro", "El Güero", "El Diablo", "La Sombra", "El Toro",
    "El Zorro", "El Chapo", "El Pelón", "El Cholo", "El Mudo", "El Tigre", "El Brujo", "El Payaso",
    "Satanás", "Puma", "Scooby", "Boxer", "Demonio", "Cuervo", "Chucky", "Pitbull",
)  # fmt: skip
ADVERSE_RANKS = ("Comandante", "Sargento", "Teniente", "Capitán", "Agente", "Licenciado", "Coronel")
ORGANIZATIONS: dict[str, tuple[str, ...]] = {
    "gang": ("MS-13", "Barrio 18", "Barrio 18 Sureños", "Los Chirizos", "Mara Salvatrucha"),
    "cartel": ("Cártel del Golfo", "Cártel de Sinaloa", "La Línea", "Los Zetas", "CJNG"),
    "police": ("Policía Municipal", "Policía Nacional Civil", "Policía Nacional", "Policía Estatal"),
    "military": ("Ejército", "Guardia Nacional", "FANB", "Fuerzas Armadas"),
    "official": ("Alcaldía", "Colectivos", "SEBIN", "Consejo Comunal", "Ministerio Público"),
}

# Given names and the nicknames people go by (accents as written), for aliases.
NICKNAMES_OF: dict[str, tuple[str, ...]] = {
    "José": ("Pepe", "Chepe", "Chema"), "Francisco": ("Paco", "Pancho", "Curro"), "Guadalupe": ("Lupe", "Lupita"),
    "Jesús": ("Chuy", "Chucho"), "Guillermo": ("Memo",), "Eduardo": ("Lalo",), "Ignacio": ("Nacho",),
    "Antonio": ("Toño",), "Alberto": ("Beto",), "Roberto": ("Beto",), "Rosario": ("Chayo", "Charo"),
    "Concepción": ("Concha",), "Dolores": ("Lola",), "Enrique": ("Quique",), "Rafael": ("Rafa",),
    "Vicente": ("Chente",), "Teresa": ("Tere",), "Salvador": ("Chava",), "Gregorio": ("Goyo",),
    "Alicia": ("Licha",), "Isabel": ("Chabela",), "Mercedes": ("Meche",), "Refugio": ("Cuca",),
    "Patricia": ("Paty",), "Lorenzo": ("Lencho",), "Alfonso": ("Poncho",), "Ernesto": ("Neto",),
    "Rigoberto": ("Rigo",), "Adolfo": ("Fito",), "Rodolfo": ("Fito",), "Ramón": ("Moncho",),
    "Gonzalo": ("Chalo",), "Luis": ("Lucho", "Güicho"), "Fernando": ("Nando",), "Manuel": ("Manolo",),
    "Alejandro": ("Alex",), "Daniel": ("Dani",), "Gabriela": ("Gaby",), "Verónica": ("Vero",),
    "Leticia": ("Lety",), "Sergio": ("Checo",), "Yolanda": ("Yoli",), "Armando": ("Mando",),
    "Gustavo": ("Tavo",), "Octavio": ("Tavo",), "Margarita": ("Magos", "Maggie"), "Heriberto": ("Beto",),
}  # fmt: skip
