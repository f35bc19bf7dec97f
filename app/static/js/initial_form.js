/* 职称初定 base form (seed 004 ch. 2): 所属行政区划 as province → city → district from /public/regions (the
   hidden region_id gets the district, or the city when it has none), and 报送受理部门 from /pickers/offices
   for that region and the chosen series; when none matches, “未查到相关的受理部门” instead of an empty
   select. The server checks every rule again. */
(function ($) {
  "use strict";

  $(function () {
    var $form = $("#base-form"), $box = $("#region-cascade");
    if (!$form.length || !$box.length) { return; }
    var $hidden = $("#region_id"), $series = $("#series_id"), $office = $("#accepting_office_id"),
        $none = $("#accepting_office_id-none"), blank = $form.data("choose");
    var $levels = [$("#region-province"), $("#region-city"), $("#region-district")];

    function loadOffices() {
      var region = $hidden.val(), series = $series.val(), keep = $office.val();
      $office.find("option").remove();
      $office.append($("<option>").val("").text(blank));
      if (!region || !series) { $none.hide(); return; }
      $.getJSON($form.data("offices-url"), {region: region, series: series}).done(function (rows) {
        $.each(rows, function (_, row) { $office.append($("<option>").val(String(row.id)).text(row.name)); });
        $office.val(keep && $office.find("option[value='" + keep + "']").length ? keep : "");
        $none.toggle(rows.length === 0);
      });
    }
    function update() {
      var before = $hidden.val(), city = $levels[1].val(), district = $levels[2].val();
      if (district) { $hidden.val(district); }
      else if (city && $levels[2].data("empty")) { $hidden.val(city); }
      else { $hidden.val(""); }
      if ($hidden.val() !== before) { loadOffices(); }
    }
    function clear(index) {
      for (var i = index; i < $levels.length; i++) {
        $levels[i].find("option:not(:first)").remove();
        $levels[i].prop("disabled", true).removeAttr("data-empty").removeData("empty");
      }
    }
    function load(index, parent) {
      $.getJSON($form.data("regions-url"), {parent: parent}).done(function (rows) {
        var $select = $levels[index];
        $.each(rows, function (_, row) { $select.append($("<option>").val(row.id).text(row.name)); });
        $select.prop("disabled", rows.length === 0).data("empty", rows.length === 0);
        update();
      });
    }
    $.each($levels, function (index, $select) {
      $select.on("change", function () {
        clear(index + 1);
        if ($select.val() && index + 1 < $levels.length) { load(index + 1, $select.val()); }
        update();
      });
    });
    $series.on("change", loadOffices);
  });
}(window.jQuery));
