/* Marks the page as scripted before it is drawn, so CSS can reserve room for parts that
   scripts reveal (the pin map) and the layout does not shift when they appear. */
document.documentElement.classList.add("js");
